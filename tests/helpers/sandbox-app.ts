import { freePort } from '../../src/cli/demo/environment';
import {
  createSandbox,
  type Sandbox,
  type SandboxOptions,
  type SeedOptions,
  type WebhookOptions,
} from '../../src/sandbox';
import { TEST_ACCESS_TOKEN, TEST_CLIENT_SECRET, TEST_PORTAL_ID } from './env';
import { startTestServer, type TestServer } from './server';

export interface SandboxApp {
  sandbox: Sandbox;
  server: TestServer;
  /** Stops the app (dropping its database), then the sandbox. */
  close(): Promise<void>;
}

export interface SandboxAppOptions {
  /** How the sandbox seeds the test portal (TEST_PORTAL_ID, with TEST_ACCESS_TOKEN). */
  seed: SeedOptions;
  /** Extra app environment, on top of PORT, PUBLIC_BASE_URL and HUBSPOT_API_BASE_URL. */
  env?: Record<string, string>;
  /**
   * Sandbox webhook delivery, configured once the app listens: deliveries go to the app's /webhooks/hubspot with
   * these settings on top. false (the default) leaves delivery as the sandbox options set it.
   */
  webhooks?: Partial<WebhookOptions> | false;
  /** Further sandbox options. */
  sandbox?: Partial<SandboxOptions>;
}

/** The local HubSpot sandbox and the whole app pointed at it, each on a free port of 127.0.0.1. */
export async function startSandboxApp(opts: SandboxAppOptions): Promise<SandboxApp> {
  const sandbox = createSandbox({
    portals: [{ portalId: TEST_PORTAL_ID, accessToken: TEST_ACCESS_TOKEN }],
    seed: opts.seed,
    app: { clientSecret: TEST_CLIENT_SECRET },
    ...opts.sandbox,
  });
  let server: TestServer | undefined;
  try {
    const { url } = await sandbox.listen();
    const port = await freePort(0);
    server = await startTestServer({
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      HUBSPOT_API_BASE_URL: url,
      ...opts.env,
    });
    if (opts.webhooks) sandbox.webhooks.configure({ targetUrl: `${server.url}/webhooks/hubspot`, ...opts.webhooks });
  } catch (err) {
    await server?.close();
    await sandbox.close();
    throw err;
  }
  const running = server;
  return {
    sandbox,
    server: running,
    async close() {
      await running.close();
      await sandbox.close();
    },
  };
}
