import { registerAssets, type Feature } from '../core';
import { exclusionRoutes } from './exclusions.routes';

// Excluding an answer (a test answer, a mistaken phone log, spam) from the dashboard, the card, the export and
// the HubSpot properties, with an audit trail, and including it again. Signed-in admins only.

export const exclusionsFeature: Feature = {
  name: 'exclusions',
  routes(router, deps) {
    exclusionRoutes(router, deps, registerAssets(router));
  },
};

export { excludeFromCard } from './card-exclusion';
