import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// The load balancer in front of several app copies, as production has one: each incoming request goes to the
// next copy in turn, unchanged (method, path, headers, body), so HubSpot's signatures over the public URL still
// hold. A copy that refuses the connection is skipped for that request.

export interface Balancer {
  url: string;
  /** Requests each backend answered, by index. */
  served: number[];
  close(): Promise<void>;
}

export async function startBalancer(backends: string[]): Promise<Balancer> {
  const served = backends.map(() => 0);
  let next = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const tryBackend = (attemptsLeft: number) => {
        const index = next++ % backends.length;
        const target = new URL(req.url ?? '/', backends[index]);
        const upstream = request(
          target,
          { method: req.method, headers: { ...req.headers, host: target.host } },
          (answer) => {
            served[index]!++;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => {
          if (attemptsLeft > 1) tryBackend(attemptsLeft - 1);
          else res.writeHead(502).end();
        });
        upstream.end(body);
      };
      tryBackend(backends.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
