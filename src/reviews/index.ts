import type { Feature } from '../core';
import { reviewRedirectRoutes } from './redirect.routes';
import { thankYouSettingsSection } from './settings-section';

// Review asks and referrals from the thank-you page: the tracked review redirect (GET /r/:token/:site), the
// clicks and referrals it stores, the dashboard section that counts them and the settings section. The thank-you
// page itself is the survey page's (src/surveys); it takes the sites and the referral storage from here.

export const reviewsFeature: Feature = {
  name: 'reviews',
  settingsSections: [thankYouSettingsSection],
  routes(router, deps) {
    reviewRedirectRoutes(router, deps);
  },
};

export { reviewLinkPath, reviewSitesOf } from './review-sites';
export { referralFor, saveReferral } from './referrals.repo';
export { renderReviewsSection } from './dashboard-section';
