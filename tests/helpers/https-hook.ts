import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A real HTTPS server on 127.0.0.1 standing in for a Slack or Teams incoming webhook, with a self-signed
// certificate made for the test (openssl). Its certificate file is the CA the app is told to trust
// (ALERTS_WEBHOOK_CA_FILE); the app reaches it only with ALERTS_ALLOW_PRIVATE_WEBHOOKS=true.

export interface HookServer {
  /** https://127.0.0.1:<port> */
  origin: string;
  caFile: string;
  received: Array<{ path: string; contentType: string | undefined; body: any }>;
  /** The bodies of the requests that were answered 200 (what Slack or Teams would have shown). */
  delivered: any[];
  /** Statuses for the next requests (then `fallback`); 'reset' destroys the connection without an answer. */
  nextStatuses: Array<number | 'reset'>;
  /** What a request gets once nextStatuses is empty (default 200); set it to make a flaky receiver. */
  fallback: () => number | 'reset';
  close(): Promise<void>;
}

/** What Slack says in the body with these statuses. */
const SLACK_ERRORS: Record<number, string> = {
  400: 'invalid_payload',
  403: 'invalid_token',
  404: 'no_service',
  410: 'channel_is_archived',
};

export async function startHookServer(): Promise<HookServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nps-hook-'));
  const keyFile = join(dir, 'key.pem');
  const caFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', caFile, '-days', '1'].concat([
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]),
    { stdio: 'ignore' },
  );
  const received: HookServer['received'] = [];
  const delivered: unknown[] = [];
  const hook = { nextStatuses: [] as HookServer['nextStatuses'], fallback: (): number | 'reset' => 200 };
  const server: Server = createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(text) });
      const status = hook.nextStatuses.shift() ?? hook.fallback();
      if (status === 'reset') return void req.socket.destroy();
      if (status === 200) delivered.push(received.at(-1)!.body);
      const body = status === 200 ? 'ok' : (SLACK_ERRORS[status] ?? 'error');
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `https://127.0.0.1:${port}`,
    caFile,
    received,
    delivered,
    get nextStatuses() {
      return hook.nextStatuses;
    },
    get fallback() {
      return hook.fallback;
    },
    set fallback(f) {
      hook.fallback = f;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
