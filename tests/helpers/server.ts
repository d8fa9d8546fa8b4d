import type { Config } from '../../src/config/env';
import { startServer, type RunningServer, type StartOptions } from '../../src/app/server';
import { silentLogger } from '../../src/shared/logger';
import { dropSchemas } from './db';
import { TEST_DATABASE_URL, testConfig, uniqueSchema } from './env';

export interface TestServer extends RunningServer {
  config: Config;
  /** Survey mail the app handed over when the test set no SMTP_URL (newest last). */
  sentMail: Array<{ raw: Buffer; to: string; subject: string; messageId: string }>;
  /** Stops the server and drops its database. */
  close(): Promise<void>;
}

/** The real app on its own database, listening on a free port of 127.0.0.1. */
export async function startTestServer(
  env: Record<string, string | undefined> = {},
  opts: StartOptions = {},
): Promise<TestServer> {
  const config = testConfig(env);
  const schema = TEST_DATABASE_URL ? uniqueSchema() : undefined;
  const sentMail: TestServer['sentMail'] = [];
  const keepMail = {
    deliver: async (raw: Buffer, meta: { to: string; subject: string; messageId: string }) =>
      void sentMail.push({ raw, ...meta }),
  };
  const running = await startServer(config, {
    logger: silentLogger,
    inMemory: true,
    dbSchema: schema,
    mailTransport: keepMail,
    ...opts,
  });
  return {
    ...running,
    config,
    sentMail,
    async close() {
      await running.stop();
      if (schema) await dropSchemas(schema);
    },
  };
}
