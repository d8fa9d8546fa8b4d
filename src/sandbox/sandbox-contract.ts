import type { Express } from 'express';
import type { CardProxy } from './card-proxy/proxy';
import type { ControlApi } from './control';
import type { ControlPanel } from './control-panel';
import type { Portal } from './crm/portal';
import type { FaultConfig, FaultInjector } from './platform/faults';
import type { AppCredentials, OAuthServer } from './platform/oauth';
import type { RateLimiter, RateLimitOptions } from './platform/rate-limit';
import type { SeedOptions, SeedReport } from './seed/seed';
import type { SandboxStore } from './store';
import type { DeliveryRecord, DeliverySettings } from './webhooks/dispatcher';
import type { SubscriptionConfig } from './webhooks/subscriptions';
import type { ActionExecution, CallbackCompletion } from './workflow/callbacks';
import type { ExecuteActionRequest, ExecuteActionResult } from './workflow/execute';

// What the sandbox is and how it is configured, apart from how it is built (sandbox.ts), so the HTTP routes can
// name the Sandbox without importing the module that builds them.

export interface PortalOptions {
  portalId: number;
  /** Static (private app) tokens for this portal. */
  accessToken?: string | string[];
  /** Overrides the sandbox-wide `seed` for this portal; false leaves it empty. */
  seed?: SeedOptions | false;
}

export interface WebhookOptions extends Partial<Omit<DeliverySettings, 'targetUrl'>> {
  /** Where deliveries go; null switches delivery off. */
  targetUrl?: string | null;
  appId?: number;
  subscriptions?: SubscriptionConfig[];
}

export interface SandboxOptions {
  /** Default: one portal, 1001, with the static token 'sandbox-token'. */
  portals?: PortalOptions[];
  /** Seed applied to every portal without its own; default `{ seed: 1 }` (300 contacts); false = empty. */
  seed?: SeedOptions | false;
  /** The app's OAuth credentials; its client secret also signs webhooks and workflow-action calls. */
  app?: Partial<AppCredentials>;
  rateLimits?: RateLimitOptions;
  faults?: FaultConfig;
  webhooks?: WebhookOptions;
  /** Lifetime of OAuth access tokens (HubSpot: 1800). */
  accessTokenTtlSeconds?: number;
}

export const DEFAULT_PORTAL_ID = 1001;
export const DEFAULT_TOKEN = 'sandbox-token';
export const DEFAULT_APP: AppCredentials = {
  appId: 424242,
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
};

export interface Sandbox {
  readonly app: Express;
  readonly store: SandboxStore;
  readonly defaultPortalId: number;
  /** The default portal's first static token ('' when it has none). */
  readonly defaultToken: string;
  readonly credentials: AppCredentials;
  /** Base URL once listening (pass it as the SDK's `basePath`). */
  url(): string;
  listen(port?: number): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
  portal(portalId?: number): Portal;
  addPortal(options: PortalOptions): SeedReport | undefined;
  /** Replaces a portal's data with a freshly generated one. */
  seed(options?: SeedOptions & { portalId?: number }): SeedReport;
  seedReport(portalId?: number): SeedReport | undefined;
  /** Empties portals (all, or one) and forgets deliveries, callbacks, faults and rate-limit counters. */
  reset(portalId?: number): void;
  state(): Record<string, unknown>;
  readonly crm: ControlApi;
  /** The control page's "Close a deal" / "Close a ticket" (GET /_control). */
  readonly controlPanel: ControlPanel;
  readonly faults: FaultInjector;
  readonly rateLimits: RateLimiter;
  readonly oauth: OAuthServer;
  readonly webhooks: {
    configure(options: WebhookOptions): void;
    settings(): DeliverySettings & { appId: number; subscriptions: SubscriptionConfig[] };
    flush(timeoutMs?: number): Promise<void>;
    deliveries(): DeliveryRecord[];
    clear(): void;
  };
  readonly callbacks: { completed(): CallbackCompletion[]; executions(): ActionExecution[] };
  /** hubspot.fetch as HubSpot's proxy plays it: appends appId, signs the raw URI, wraps non-2xx as BAD_GATEWAY. */
  readonly cardProxy: CardProxy;
  readonly workflowActions: { execute(request: ExecuteActionRequest): Promise<ExecuteActionResult> };
}
