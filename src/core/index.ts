// Public surface of src/core/: what several features share. Other folders import only from here.
//   deps + feature contract (AppDeps, Feature, WebhookHandler), the webhook event, NPS math (pure), settings schema +
//   service + the /api/settings routes, portal lookup, signed survey links, the HTML page shell and its assets.
export type { AppDeps, HealthProblems, MailTransport } from './deps';
export type { Feature, WebhookHandler } from './feature-contract';
export { ALERT_ANSWER_KIND, SMS_SEND_KIND, WORKFLOW_CALLBACK_KIND } from './outbox-kinds';
export { categoryOf, compareNps, summarize } from './nps';
export type { Category, CategoryCounts, NpsComparison, NpsSummary } from './nps';
export { registerAssets } from './page-assets';
export type { Assets } from './page-assets';
export { jsonForHtml, sendPage } from './page-shell.view';
export {
  getPortal,
  getPortalForUpdate,
  listActivePortalIds,
  markSetupCompleted,
  markUninstalled,
  saveOAuthTokens,
} from './portals.repo';
export type { Portal } from './portals.repo';
export {
  addFirstPortalAdmin,
  addPortalAdmin,
  isPortalAdmin,
  listPortalAdmins,
  replacePortalAdmins,
} from './portal-admins.repo';
export {
  CHANNELS,
  LANGUAGES,
  MAX_CUSTOM_DIMENSIONS,
  WORDING_KEYS,
  channelList,
  defaultSettings,
  settingsSchema,
} from './settings-schema';
export type {
  AlertSettings,
  LanguageWording,
  SegmentDimensionSetting,
  Settings,
  TriggerRule,
  WordingKey,
} from './settings-schema';
export {
  checkSettings,
  commitSettings,
  getSettings,
  seedSettings,
  settingsAuthorOf,
  settingsHistory,
  settingsVersion,
} from './settings-service';
export type { SettingsAuthor, SettingsVersion } from './settings-service';
export type { SettingsChange } from './settings-diff';
export type {
  SettingsField,
  SettingsFieldIssue,
  SettingsFieldKind,
  SettingsFieldOption,
  SettingsSection,
  SettingsSectionContext,
} from './settings-sections';
export { createSettingsFeature } from './settings.routes';
export { createSurveyToken, openSurveyLinkFor, surveyUrl, unsubscribeUrl, verifySurveyToken } from './survey-links';
export { dedupeKey, eventKind, webhookEventSchema } from './webhook-event';
export type { WebhookEvent } from './webhook-event';
