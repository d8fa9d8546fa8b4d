import { registerAssets, type Feature } from '../core';
import { previewRoutes } from './preview.routes';
import { wordingSections } from './section';
import { testSurveyRoutes } from './test-survey.routes';

// Languages and wording in the settings workspace, the live preview of the email and survey page, and test
// surveys an admin sends themself (kept apart from real invitations and answers: see test-surveys.repo.ts).

export const wordingFeature: Feature = {
  name: 'wording',
  settingsSections: wordingSections,
  routes(router, deps) {
    previewRoutes(router, deps, registerAssets(router));
    testSurveyRoutes(router, deps);
  },
};
