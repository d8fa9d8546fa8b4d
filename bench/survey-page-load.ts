// The survey page's load generator, run as a separate process so that building requests and reading responses
// neither compete with the app for its event loop nor count in its CPU time (respondents' phones are elsewhere).
// An open loop: requests start at a fixed rate whether or not earlier ones have answered, and each latency is
// measured from the request's planned start, so a stalled server shows up in the percentiles instead of quietly
// lowering the rate (no coordinated omission).
// Usage: node --import tsx bench/survey-page-load.ts '<LoadRequest as JSON>' → LoadResult as JSON on stdout.
import { readFileSync } from 'node:fs';
import { keepAliveAgent, send } from './http';
import { loadProcessMain } from './load-process';

export interface LoadRequest {
  appUrl: string;
  /** A JSON file holding the signed survey tokens (one per invitation). */
  tokensFile: string;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  /** Requests sent one after another (nothing else in flight) to measure the service time. */
  serialRequests: number;
  /** Consecutive POST windows of `seconds` each: one sustained load, with a p99 per window. */
  postWindows: number;
  /**
   * Then, when given, a capacity search: POST windows of `seconds` each at rising rates, until one's p99 reaches
   * the limit (or it fails a request, or falls short of its rate).
   */
  capacity?: { rates: number[]; seconds: number; p99LimitMs: number };
}

export interface Load {
  latencies: number[];
  failures: number;
  /** What the failed requests got, e.g. { "status 500": 2 }. */
  failureReasons: Record<string, number>;
  achievedRps: number;
}

export interface LoadResult {
  get: Load & { serialMs: number };
  post: { serialMs: number; windows: Load[] };
  /** The capacity search's windows, in the order run (the last one is the first to miss, unless all held). */
  capacity: Array<{ rate: number; load: Load }>;
}

/** One request: resolves to null when it got what it should, else to what went wrong. */
type Request = (i: number) => Promise<string | null>;

const expect = (status: number) => (r: { status: number }) => (r.status === status ? null : `status ${r.status}`);

/** Starts `rate` requests per second for `seconds`, without waiting for earlier ones to finish. */
async function openLoop(rate: number, seconds: number, request: Request): Promise<Load> {
  const latencies: number[] = [];
  let failures = 0;
  const failureReasons: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  const total = Math.round(rate * seconds);
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const planned = t0 + (i * 1000) / rate;
    const wait = planned - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const settle = (failure: string | null) => {
      latencies.push(performance.now() - planned);
      if (failure === null) return;
      failures++;
      failureReasons[failure] = (failureReasons[failure] ?? 0) + 1;
    };
    inFlight.push(request(i).then(settle, (err: Error) => settle(err.message)));
  }
  await Promise.all(inFlight);
  return { latencies, failures, failureReasons, achievedRps: Math.round(total / ((performance.now() - t0) / 1000)) };
}

/** Nearest-rank p99 (the bench's own percentile lives with the app side, which this process does not load). */
function percentile99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)] ?? NaN;
}

/** Mean time of one request with nothing else in flight: the cost the arrival rate has to fit into. */
async function serialMs(count: number, request: Request): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await request(i);
  return Math.round(((performance.now() - t0) / count) * 100) / 100;
}

async function run(req: LoadRequest): Promise<LoadResult> {
  const tokens = JSON.parse(readFileSync(req.tokensFile, 'utf8')) as string[];
  const agent = keepAliveAgent(64);
  const get: Request = (i) =>
    send(`${req.appUrl}/s/${tokens[i % tokens.length]}?score=${i % 11}`, { agent }).then(expect(200));
  // Every POST answers a different invitation: the first answer is the expensive one (insert, status, outbox).
  let next = 0;
  const post: Request = () => {
    const token = tokens[next++ % tokens.length]!;
    const body = new URLSearchParams({
      score: String(next % 11),
      comment: 'Good service, slow invoices. '.repeat(4),
    }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    return send(`${req.appUrl}/s/${token}`, { method: 'POST', agent, body, headers }).then(expect(303));
  };
  try {
    await openLoop(req.rate, req.warmupSeconds, get);
    const getSerial = await serialMs(req.serialRequests, get);
    const gets = await openLoop(req.rate, req.seconds, get);
    await openLoop(req.rate, req.warmupSeconds, post);
    const postSerial = await serialMs(req.serialRequests, post);
    const windows: Load[] = [];
    for (let w = 0; w < req.postWindows; w++) windows.push(await openLoop(req.rate, req.seconds, post));
    const capacity: LoadResult['capacity'] = [];
    for (const rate of req.capacity?.rates ?? []) {
      const load = await openLoop(rate, req.capacity!.seconds, post);
      capacity.push({ rate, load });
      const held =
        percentile99(load.latencies) < req.capacity!.p99LimitMs &&
        load.failures === 0 &&
        load.achievedRps >= rate * 0.95;
      if (!held) break;
    }
    return { get: { ...gets, serialMs: getSerial }, post: { serialMs: postSerial, windows }, capacity };
  } finally {
    agent.destroy();
  }
}

loadProcessMain(import.meta.url, run);
