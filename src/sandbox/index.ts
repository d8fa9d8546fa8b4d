/**
 * NPS Loop's local HubSpot: an independent server that speaks HubSpot's wire format, for the demo,
 * end-to-end tests and benchmarks. See sandbox.ts for the programmatic API and
 * http/control-routes.ts for the `/_sandbox` control endpoints, http/control-page.ts for the `/_control` page.
 */
export {
  createSandbox,
  DEFAULT_APP,
  DEFAULT_PORTAL_ID,
  DEFAULT_TOKEN,
  type PortalOptions,
  type Sandbox,
  type SandboxOptions,
  type WebhookOptions,
} from './sandbox';
export type { ControlApi, ControlOptions, RecordView } from './control';
export type { Closable, ClosableKind, ControlPanel, ControlPanelOptions, PanelAction } from './control-panel';
export type { FaultConfig, FaultState, FaultStatus } from './platform/faults';
export type { RateLimitOptions } from './platform/rate-limit';
export type { AppCredentials } from './platform/oauth';
export type { SeedOptions, SeedReport } from './seed/seed';
export { DEFAULT_SEED } from './seed/seed';
export type { DeliveryRecord, DeliverySettings } from './webhooks/dispatcher';
export { DEFAULT_SUBSCRIPTIONS, type SubscriptionConfig, type WebhookEvent } from './webhooks/subscriptions';
export type { ActionExecution, CallbackCompletion } from './workflow/callbacks';
export type { ExecuteActionRequest, ExecuteActionResult } from './workflow/execute';
export { signatureV1, signatureV2, signatureV3 } from './webhooks/signing';
