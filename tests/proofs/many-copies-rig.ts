import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/cli/demo/environment';
import { createSandbox, type Sandbox } from '../../src/sandbox';
import { spawnTs, type Child } from '../helpers/child';
import { dropSchemas } from '../helpers/db';
import { uniqueSchema } from '../helpers/env';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { waitFor } from '../helpers/wait';
import { startBalancer, type Balancer } from './many-copies-balancer';

// Several copies of the real app (child processes) on one Postgres schema, behind one load balancer, against one
// sandbox portal. Each copy calls HubSpot with a private-app token of its own for the same portal, so only a budget
// shared per portal keeps the copies together under the portal's limit.

const SECRET = 'copies-client-secret-0123456789';
export const PORTAL_ID = 4242;

export interface CopiesRig {
  sandbox: Sandbox;
  smtp: TestSmtpServer;
  balancer: Balancer;
  /** Each copy's own address; `full[i]` tells whether copy i runs workers. */
  copies: Array<{ url: string; full: boolean; child: Child }>;
  schema: string;
  close(): Promise<void>;
}

export async function startCopies(opts: {
  databaseUrl: string;
  fullCopies: number;
  webOnlyCopies: number;
}): Promise<CopiesRig> {
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());
    const kinds = [...Array(opts.fullCopies).fill(true), ...Array(opts.webOnlyCopies).fill(false)] as boolean[];
    const tokens = kinds.map((_, i) => `copies-private-app-token-${i}`);
    const sandbox = createSandbox({
      app: { clientSecret: SECRET },
      portals: [
        {
          portalId: PORTAL_ID,
          accessToken: tokens,
          seed: { seed: 9, contacts: 0, companies: 0, deals: 0, tickets: 0 },
        },
      ],
    });
    const sb = await sandbox.listen(0);
    cleanups.push(() => sandbox.close());

    const ports = await Promise.all(kinds.map(() => freePort(0)));
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    const balancer = await startBalancer(urls);
    cleanups.push(() => balancer.close());

    const dir = mkdtempSync(join(tmpdir(), 'nps-copies-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const schema = uniqueSchema('copies');
    cleanups.push(() => dropSchemas(schema));
    const settingsFile = join(dir, 'settings.json');
    writeFileSync(
      settingsFile,
      JSON.stringify({
        triggers: [{ id: 'won', objectType: 'deal', pipelineId: '*', stageId: 'closedwon', delayHours: 0 }],
      }),
    );
    const copies = kinds.map((full, i) => {
      const child = spawnTs('src/app/main.ts', {
        PORT: String(ports[i]),
        PUBLIC_BASE_URL: balancer.url,
        DATA_DIR: join(dir, `data-${i}`),
        DATABASE_URL: opts.databaseUrl,
        DATABASE_SCHEMA: schema,
        RUN_WORKERS: String(full),
        HUBSPOT_API_BASE_URL: sb.url,
        HUBSPOT_ACCESS_TOKEN: tokens[i],
        HUBSPOT_PORTAL_ID: String(PORTAL_ID),
        HUBSPOT_CLIENT_SECRET: SECRET,
        SURVEY_SIGNING_KEY: 'copies-signing-key-0123456789',
        ENCRYPTION_KEY: 'copies-encryption-key-0123456789',
        SMTP_URL: smtp.url,
        MAIL_FROM: 'NPS <nps@example.com>',
        NPS_SETTINGS_FILE: settingsFile,
        LOG_LEVEL: 'warn',
        ADMIN_TOKEN: 'copies-admin-token-0123456789',
      });
      cleanups.push(async () => {
        if (child.proc.exitCode !== null) return;
        child.proc.kill('SIGTERM');
        const exited = await Promise.race([child.exited, new Promise((r) => setTimeout(r, 15_000, false))]);
        if (!exited) child.proc.kill('SIGKILL');
      });
      return { url: urls[i]!, full, child };
    });
    // All copies start together, as a deploy starts them: migrations and the queue schema are set up once.
    await Promise.all(
      copies.map((c) =>
        waitFor(
          async () => {
            if (c.child.proc.exitCode !== null) throw new Error(`a copy exited:\n${c.child.output()}`);
            return (await fetch(`${c.url}/healthz`)).ok;
          },
          { timeoutMs: 120_000, intervalMs: 200, what: () => `copy ${c.url} to start\n${c.child.output()}` },
        ),
      ),
    );
    return { sandbox, smtp, balancer, copies, schema, close };
  } catch (err) {
    await close();
    throw err;
  }
}
