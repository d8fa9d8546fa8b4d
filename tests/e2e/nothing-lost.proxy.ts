import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A pass-through in front of the app at its public address, so the SIGKILL proof can kill the app at a moment it
// cannot see from outside: while the app is reading a webhook delivery, before it has answered.

export interface KillingProxy {
  url: string;
  /** The next webhook delivery is forwarded to the app, which is then killed before it answers. */
  armOnNextDelivery(kill: () => void): Promise<void>;
  close(): Promise<void>;
}

export async function startKillingProxy(appPort: () => number): Promise<KillingProxy> {
  let armed: { kill: () => void; fired: () => void } | undefined;
  const server: Server = createServer((req, res) => {
    const upstream = request(
      { host: '127.0.0.1', port: appPort(), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    const trap = armed && req.url?.startsWith('/webhooks/hubspot') ? armed : undefined;
    if (trap) {
      armed = undefined;
      // Once the whole delivery has been written to the app's socket: the app is reading or storing it.
      upstream.on('finish', () => {
        trap.kill();
        trap.fired();
      });
    }
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    armOnNextDelivery: (kill) => new Promise((fired) => (armed = { kill, fired })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
