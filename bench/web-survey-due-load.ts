// The web survey's load generator, a separate process (see load-process.ts): POST /widget/v1/:portal/due at a
// fixed arrival rate (open loop: each latency runs from the request's planned start, so a stall shows in the
// percentiles instead of lowering the rate), each request for the next signed identity in the list.
// Usage: node --import tsx bench/web-survey-due-load.ts '<LoadRequest as JSON>' → LoadResult as JSON on stdout.
import { readFileSync } from 'node:fs';
import { keepAliveAgent, send } from './http';
import { loadProcessMain } from './load-process';

export interface LoadRequest {
  url: string;
  origin: string;
  /** A JSON file holding the request bodies (one signed identity each). */
  bodiesFile: string;
  rate: number;
  seconds: number;
}

export interface LoadResult {
  latencies: number[];
  failures: number;
  failureReasons: Record<string, number>;
  due: number;
  achievedRps: number;
}

async function run(req: LoadRequest): Promise<LoadResult> {
  const bodies = JSON.parse(readFileSync(req.bodiesFile, 'utf8')) as string[];
  const agent = keepAliveAgent(64);
  const headers = { 'content-type': 'application/json', origin: req.origin };
  const latencies: number[] = [];
  const failureReasons: Record<string, number> = {};
  let failures = 0;
  let due = 0;
  const inFlight: Promise<void>[] = [];
  const total = Math.round(req.rate * req.seconds);
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const planned = t0 + (i * 1000) / req.rate;
    const wait = planned - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const body = bodies[i % bodies.length]!;
    inFlight.push(
      send(req.url, { method: 'POST', headers, body, agent }).then(
        (res) => {
          latencies.push(performance.now() - planned);
          if (res.status !== 200) {
            failures++;
            failureReasons[`status ${res.status}`] = (failureReasons[`status ${res.status}`] ?? 0) + 1;
          } else if (res.body.startsWith('{"due":true')) due++;
        },
        (err: Error) => {
          latencies.push(performance.now() - planned);
          failures++;
          failureReasons[err.message] = (failureReasons[err.message] ?? 0) + 1;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  const achievedRps = Math.round(total / ((performance.now() - t0) / 1000));
  return { latencies, failures, failureReasons, due, achievedRps };
}

loadProcessMain(import.meta.url, run);
