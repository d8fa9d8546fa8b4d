// Public surface of src/auth/: other folders import only from here.
export { requireAdmin, requireAdminRole } from './admin';
export { registerAdminRoutes } from './admins.routes';
export { registerSignInRoutes, requireDashboardSession } from './sign-in.routes';
export { issueDashboardLink } from './sign-in-links';
export { registerTvLinkRoutes, requireTvAccess } from './tv-links.routes';
export { listTvLinks } from './tv-links.repo';
export type { TvLink } from './tv-links.repo';
