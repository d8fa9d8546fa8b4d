import http from 'node:http';

/** A keep-alive agent for load generation (many requests over few sockets, as a real client would). */
export function keepAliveAgent(maxSockets = 32): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets });
}

/** One HTTP request; resolves with the status and body text once the response has been read. */
export function send(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; agent: http.Agent },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
