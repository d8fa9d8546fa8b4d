import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CardProxy } from './card-proxy/proxy';
import { createControlApi } from './control';
import { createControlPanel } from './control-panel';
import { buildApp } from './http/app';
import { FaultInjector } from './platform/faults';
import { OAuthServer, type AppCredentials } from './platform/oauth';
import { RateLimiter } from './platform/rate-limit';
import {
  DEFAULT_APP,
  DEFAULT_PORTAL_ID,
  DEFAULT_TOKEN,
  type PortalOptions,
  type Sandbox,
  type SandboxOptions,
  type WebhookOptions,
} from './sandbox-contract';
import { seedPortal, type SeedOptions, type SeedReport } from './seed/seed';
import { SandboxStore } from './store';
import { WebhookDispatcher } from './webhooks/dispatcher';
import { DEFAULT_SUBSCRIPTIONS, eventsForChange, normaliseSubscriptions } from './webhooks/subscriptions';
import { CallbackLog } from './workflow/callbacks';
import { executeWorkflowAction } from './workflow/execute';

export { DEFAULT_PORTAL_ID, DEFAULT_TOKEN };
export type { Sandbox, SandboxOptions, WebhookOptions };

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const portalsConfig = options.portals?.length
    ? options.portals
    : [{ portalId: DEFAULT_PORTAL_ID, accessToken: DEFAULT_TOKEN }];
  const defaultPortalId = portalsConfig[0]!.portalId;
  const credentials: AppCredentials = { ...DEFAULT_APP, ...definedOnly(options.app ?? {}) };
  const store = new SandboxStore();
  const oauth = new OAuthServer(credentials, {
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 1800,
    defaultPortalId: () => defaultPortalId,
    hasPortal: (id) => store.has(id),
  });
  const rateLimits = new RateLimiter(options.rateLimits);
  const faults = new FaultInjector(options.faults, () => rateLimits.settings().tenSecondlyMax);
  const callbacks = new CallbackLog();
  const seedReports = new Map<number, SeedReport>();
  const staticTokens = new Map<number, string[]>();

  let webhookAppId = options.webhooks?.appId ?? credentials.appId;
  let subscriptionConfigs = options.webhooks?.subscriptions ?? DEFAULT_SUBSCRIPTIONS;
  let subscriptions = normaliseSubscriptions(subscriptionConfigs);
  const dispatcher = new WebhookDispatcher({ clientSecret: credentials.clientSecret });
  dispatcher.configure(stripped(options.webhooks));
  let eventId = 100;
  store.onChange((change) => {
    if (!oauth.isInstalled(change.portalId)) return;
    dispatcher.enqueue(eventsForChange(change, subscriptions, webhookAppId, () => ++eventId));
  });

  const portalOf = (portalId?: number) => store.portal(portalId ?? defaultPortalId);
  const seed = (seedOptions: SeedOptions & { portalId?: number } = {}): SeedReport => {
    const portalId = seedOptions.portalId ?? defaultPortalId;
    portalOf(portalId); // only known portals can be seeded
    const report = seedPortal(store.createPortal(portalId), seedOptions);
    seedReports.set(portalId, report);
    return report;
  };
  const addPortal = (portal: PortalOptions): SeedReport | undefined => {
    store.createPortal(portal.portalId);
    const tokens = portal.accessToken === undefined ? [] : [portal.accessToken].flat();
    for (const token of tokens) oauth.registerStatic(token, portal.portalId);
    staticTokens.set(portal.portalId, tokens);
    const seedOptions = portal.seed ?? options.seed ?? {};
    return seedOptions === false ? undefined : seed({ ...seedOptions, portalId: portal.portalId });
  };
  for (const portal of portalsConfig) addPortal(portal);

  const cardProxy = new CardProxy({
    appId: () => credentials.appId,
    clientSecret: () => dispatcher.current().clientSecret,
    defaultPortalId: () => defaultPortalId,
  });
  const crm = createControlApi(portalOf);
  const controlPanel = createControlPanel({
    portal: portalOf,
    crm,
    webhooks: {
      flush: (timeoutMs) => dispatcher.flush(timeoutMs),
      deliveries: () => dispatcher.deliveries(),
      targetUrl: () => dispatcher.current().targetUrl ?? null,
    },
  });
  const app = buildApp({
    store,
    oauth,
    rateLimits,
    faults,
    callbacks,
    control: () => sandbox,
  });
  let server: Server | undefined;
  let baseUrl: string | undefined;

  const sandbox: Sandbox = {
    app,
    store,
    defaultPortalId,
    credentials,
    oauth,
    faults,
    rateLimits,
    defaultToken: staticTokens.get(defaultPortalId)?.[0] ?? '',
    url() {
      if (!baseUrl) throw new Error('The sandbox is not listening yet; call listen() first');
      return baseUrl;
    },
    listen(port = 0) {
      return new Promise((resolve, reject) => {
        const listening = app.listen(port, '127.0.0.1');
        listening.once('error', reject);
        listening.once('listening', () => {
          server = listening;
          const actual = (listening.address() as AddressInfo).port;
          baseUrl = `http://127.0.0.1:${actual}`;
          resolve({ url: baseUrl, port: actual });
        });
      });
    },
    async close() {
      dispatcher.close();
      faults.dispose();
      if (!server) return;
      const closing = server;
      server = undefined;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    },
    portal: portalOf,
    addPortal,
    seed,
    seedReport: (portalId) => seedReports.get(portalId ?? defaultPortalId),
    reset(portalId) {
      for (const id of portalId === undefined ? store.portalIds() : [portalId]) {
        portalOf(id);
        store.createPortal(id);
        seedReports.delete(id);
      }
      dispatcher.discard();
      dispatcher.clearLog();
      callbacks.clear();
      faults.clear();
      rateLimits.reset();
    },
    state() {
      return {
        defaultPortalId,
        portals: store.portalIds().map((id) => ({
          portalId: id,
          installed: oauth.isInstalled(id),
          staticTokens: staticTokens.get(id) ?? [],
          counts: store.portal(id).counts(),
        })),
        webhooks: {
          targetUrl: dispatcher.current().targetUrl ?? null,
          pending: dispatcher.pending(),
          deliveries: dispatcher.deliveries().length,
        },
        callbacks: { executions: callbacks.listExecutions().length, completions: callbacks.listCompletions().length },
        faults: faults.state(),
        rateLimits: rateLimits.settings(),
      };
    },
    crm,
    controlPanel,
    webhooks: {
      configure(webhookOptions) {
        if (webhookOptions.subscriptions) {
          subscriptions = normaliseSubscriptions(webhookOptions.subscriptions);
          subscriptionConfigs = webhookOptions.subscriptions;
        }
        if (webhookOptions.appId !== undefined) webhookAppId = webhookOptions.appId;
        dispatcher.configure(stripped(webhookOptions));
      },
      settings: () => ({ ...dispatcher.current(), appId: webhookAppId, subscriptions: subscriptionConfigs }),
      flush: (timeoutMs) => dispatcher.flush(timeoutMs),
      deliveries: () => dispatcher.deliveries(),
      clear: () => dispatcher.clearLog(),
    },
    callbacks: { completed: () => callbacks.listCompletions(), executions: () => callbacks.listExecutions() },
    cardProxy,
    workflowActions: {
      execute: (request) =>
        executeWorkflowAction(
          {
            store,
            callbacks,
            clientSecret: () => dispatcher.current().clientSecret,
            defaultPortalId: () => defaultPortalId,
          },
          request,
        ),
    },
  };
  return sandbox;
}

/** Delivery settings without the sandbox-level keys. */
function stripped(options: WebhookOptions | undefined): Omit<WebhookOptions, 'appId' | 'subscriptions'> {
  if (!options) return {};
  const { appId: _appId, subscriptions: _subscriptions, ...rest } = options;
  return definedOnly(rest);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
