// Public surface of src/shared/: other folders import only from here.
export { DAY_MS } from './clock';
export type { Clock } from './clock';
export { safeEqual } from './crypto';
export type { Cipher } from './crypto';
export {
  AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  describeIssues,
  parseInput,
} from './errors';
export { escapeHtml } from './http';
export { requireHubSpotSignature } from './hubspot-auth';
export type { Logger } from './logger';
export type { Metrics } from './metrics';
export { isStorableText, storableJson, storableText } from './storable';
