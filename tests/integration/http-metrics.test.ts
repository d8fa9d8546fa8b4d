import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

/** Distinct label sets of the HTTP metrics in a Prometheus text exposition (histogram buckets count once). */
function httpSeries(exposition: string): Set<string> {
  const series = new Set<string>();
  for (const line of exposition.split('\n')) {
    const m = /^(nps_http_[a-z_]+?)(?:_bucket|_sum|_count)?\{(.*)\} /.exec(line);
    if (!m) continue;
    const labels = m[2]!
      .split(',')
      .filter((l) => !l.startsWith('le='))
      .join(',');
    series.add(`${m[1]}{${labels}}`);
  }
  return series;
}

async function inBatches(n: number, send: (i: number) => Promise<Response>): Promise<void> {
  for (let i = 0; i < n; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, async (_, j) => {
        const res = await send(i + j);
        await res.arrayBuffer();
      }),
    );
  }
}

describe('HTTP metrics labels', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('label requests by route pattern, so random paths and tokens leave a bounded number of series', async () => {
    const random = () => randomBytes(8).toString('hex');
    await inBatches(500, () =>
      fetch(`${s.url}/${random()}/${random()}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"not json',
      }),
    );
    await inBatches(500, () => fetch(`${s.url}/s/${random()}`));
    const exposition = await (await fetch(`${s.url}/metrics`)).text();
    const series = httpSeries(exposition);
    expect(series.size).toBeGreaterThan(0);
    expect(series.size).toBeLessThanOrEqual(8);
    const routes = new Set([...series].map((x) => /route="([^"]*)"/.exec(x)?.[1]));
    expect([...routes].sort()).toEqual(['/s/:token', 'unmatched']);
    expect(exposition).toMatch(/nps_http_requests_total\{method="POST",route="unmatched",status="400"\} 500/);
    expect(exposition).toMatch(/nps_http_requests_total\{method="GET",route="\/s\/:token",status="\d+"\} 500/);
  });
});
