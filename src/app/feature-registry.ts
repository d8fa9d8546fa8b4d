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
  createSettingsFeature(requireAdmin, requireAdminRole),
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
  smsFeature,
];
