import type { Feature } from '../core';
import { registerAssets } from '../core';
import { registerSecretRoutes } from './secret.routes';
import { webSurveySettingsSections } from './settings-section';
import { loadWidgetScripts, registerWidgetScripts } from './widget-assets';
import { registerWidgetRoutes } from './widget.routes';

// The in-app web survey: a script the customer's web app embeds (widget-assets.ts) asks the widget API
// (widget.routes.ts) whether the signed-in contact, identified by an HMAC the host's backend signs, is due, and
// shows the survey in a slide-in. Answers go through the survey page's recording path (src/responses).

export const webSurveyFeature: Feature = {
  name: 'web-survey',
  routes(router, deps) {
    registerWidgetScripts(router, loadWidgetScripts());
    registerWidgetRoutes(router, deps);
    registerSecretRoutes(router, deps, registerAssets(router));
  },
  settingsSections: webSurveySettingsSections,
};

// For channel choice (a rule's fallback list skips 'web' with no_web_session when the contact was never seen).
export { lastWebSessionAt } from './web-survey.repo';
export { signIdentity } from './identity';
export { LOADER_PATH } from './widget-assets';
export { ensureWidgetSecret } from './secret';
