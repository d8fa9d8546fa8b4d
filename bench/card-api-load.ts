// The card API's load generator, run as a separate process so that signing requests and reading responses
// neither compete with the app for its event loop nor count in its CPU time (HubSpot's proxy is another
// machine, after all). A closed loop: `concurrency` callers, each sending its next signed GET as soon as the
// previous one answered. Usage: node --import tsx bench/card-api-load.ts '<LoadRequest as JSON>' → LoadResult
// as JSON on stdout.
import { keepAliveAgent, send } from './http';
import { loadProcessMain } from './load-process';
import { signV3 } from '../src/shared/signature';

export interface LoadRequest {
  appUrl: string;
  publicUrl: string;
  secret: string;
  path: string;
  concurrency: number;
  seconds: number;
}

export interface LoadResult {
  latencies: number[];
  failures: number;
  elapsedSeconds: number;
}

async function run(req: LoadRequest): Promise<LoadResult> {
  const agent = keepAliveAgent(req.concurrency + 4);
  const latencies: number[] = [];
  let failures = 0;
  const started = Date.now();
  const until = started + req.seconds * 1000;
  const caller = async () => {
    while (Date.now() < until) {
      const ts = Date.now();
      const headers = {
        'x-hubspot-signature-v3': signV3(req.secret, 'GET', `${req.publicUrl}${req.path}`, '', ts),
        'x-hubspot-request-timestamp': String(ts),
      };
      const t0 = performance.now();
      const res = await send(`${req.appUrl}${req.path}`, { agent, headers }).catch(() => ({ status: 0, body: '' }));
      latencies.push(performance.now() - t0);
      if (res.status !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: req.concurrency }, caller));
  agent.destroy();
  return { latencies, failures, elapsedSeconds: (Date.now() - started) / 1000 };
}

loadProcessMain(import.meta.url, run);
