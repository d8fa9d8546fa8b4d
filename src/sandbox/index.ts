/**
 * NPS Loop's local HubSpot: an independent server that speaks HubSpot's wire format, for the demo,
 * end-to-end tests and benchmarks. See sandbox.ts for the programmatic API and
 * http/control-routes.ts for the `/_sandbox` control endpoints, http/control-page.ts for the `/_control` page.
 */
export {
  createSandbox,
  DEFAULT_PORTAL_ID,
  DEFAULT_TOKEN,
  type Sandbox,
  type SandboxOptions,
  type WebhookOptions,
} from './sandbox';
export type { SeedOptions } from './seed/seed';
export { type SubscriptionConfig } from './webhooks/subscriptions';
export { startTwilioStandIn, twilioSignature, type TwilioStandIn } from './twilio/stand-in';
