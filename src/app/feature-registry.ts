import type { Feature } from '../core/feature-contract';
import { opsFeature } from '../ops';
import { webhooksFeature } from '../webhooks';
import { createSettingsFeature } from '../core';
import { requireAdmin, requireAdminRole } from '../auth';
import { createPortalsFeature } from '../portals';
import type { InstallHook } from '../portals/install-hooks';
import { requestPortalSetup } from '../responses/setup';
import { requestContactSync } from '../contacts';
import { contactsFeature } from '../contacts';
import { triggersFeature } from '../triggers';
import { responsesFeature } from '../responses';
import { cardApiFeature } from '../card-api';
import { surveysFeature } from '../surveys';
import { followUpsFeature } from '../follow-ups';
import { workflowActionFeature } from '../workflow-action';
import { insightsFeature } from '../insights';
import { wordingFeature } from '../wording';
import { alertsFeature } from '../alerts';
import { themesFeature } from '../themes';
import { createWorkspaceFeature } from '../workspace';
import { enpsFeature } from '../enps';
import { segmentsFeature } from '../segments';
import { reviewsFeature } from '../reviews';
import { exclusionsFeature } from '../exclusions';
import { webSurveyFeature } from '../web-survey';
import { smsFeature } from '../sms';

// What an OAuth install sets in motion, in order: properties and segmentation lists, then the first full sync.
// Both are queued jobs, so the install answers at once and the work is retried until it lands.
const installHooks: InstallHook[] = [
  async function setupProperties(deps, portalId) {
    await requestPortalSetup(deps, portalId);
  },
  async function firstContactSync(deps, portalId) {
    await requestContactSync(deps, portalId);
  },
];

// Every capability of the product, in mounting order. Add a feature by importing its index and listing it here.
export const features: Feature[] = [
  opsFeature,
  webhooksFeature,
  createSettingsFeature(requireAdmin, requireAdminRole, () => settingsSections()),
  createPortalsFeature(installHooks),
  contactsFeature,
  triggersFeature,
  responsesFeature,
  cardApiFeature,
  surveysFeature,
  followUpsFeature,
  workflowActionFeature,
  insightsFeature,
  wordingFeature,
  alertsFeature,
  themesFeature,
  enpsFeature,
  segmentsFeature,
  reviewsFeature,
  exclusionsFeature,
  webSurveyFeature,
  smsFeature,
  // Last: its /dashboard/settings/:section route must not shadow a feature's own page under /dashboard/settings/.
  createWorkspaceFeature(() => settingsSections()),
];

/** Every feature's settings workspace sections: the workspace renders them, every save runs their checks. */
function settingsSections() {
  return features.flatMap((f) => f.settingsSections ?? []);
}
