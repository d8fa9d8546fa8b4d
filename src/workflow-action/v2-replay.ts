import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { AppDeps } from '../core';
import type { ActionAnswer, Execution } from './payload';
import { claimV2Request, deleteV2RequestsBefore, recordV2Answer } from './v2-requests.repo';

// Replays of v2-signed executions. HubSpot signs custom workflow actions v2: sha256(secret + method + URI + body),
// with no timestamp, so a captured request verifies for ever. HubSpot retries a failed execution (5xx, timeout) by
// sending the same request again — same body, same callbackId, so the same v2 signature: a legitimate retry and a
// replay by someone who captured the request cannot be told apart. So a replay is made harmless rather than
// refused (refusing it would also refuse HubSpot's retries):
// - the action is idempotent on callbackId (execute.ts): a repeat schedules nothing new;
// - each v2 request is remembered for 24 hours by sha256(signature + body), with the answer it got. A request seen
//   before that got an answer is answered with that answer, as stored, without running the action again — even if
//   the callback's bookkeeping has since gone (a privacy deletion). One seen before without an answer (the first
//   try ended in a 503 or a crash) is HubSpot's retry and runs, idempotently.
// v3 carries a timestamp and is bound to a 5-minute window; when its header is present it must verify (no
// fallback to v2: src/shared/signature.ts).

const KEEP_MS = 24 * 60 * 60 * 1000;

type ReplayDeps = Pick<AppDeps, 'db' | 'clock' | 'logger'>;

function digestOf(req: Request): string | undefined {
  const signature = req.get('x-hubspot-signature');
  if (req.hubspotSignature !== 'v2' || !signature) return undefined;
  return createHash('sha256')
    .update(signature.toLowerCase())
    .update('\n')
    .update(req.rawBody ?? Buffer.alloc(0))
    .digest('hex');
}

/**
 * Runs `execute` for the request, unless it is a v2-signed request already answered: then the stored answer.
 * v3-signed requests and the doctor's self-test pass straight through.
 */
export async function answerOnce(
  deps: ReplayDeps,
  req: Request,
  execution: Execution,
  execute: () => Promise<ActionAnswer>,
): Promise<ActionAnswer> {
  const digest = execution.selfTest ? undefined : digestOf(req);
  if (!digest) return execute();
  const now = deps.clock.now();
  await deleteV2RequestsBefore(deps.db, new Date(now.getTime() - KEEP_MS));
  const seen = await claimV2Request(deps.db, { digest, callbackId: execution.callbackId, at: now });
  if (!seen.fresh && seen.response) {
    deps.logger.info(
      { portalId: execution.portalId, callbackId: execution.callbackId, module: 'workflow-action' },
      'v2-signed workflow action request seen before: answered with the stored answer, nothing run',
    );
    return seen.response;
  }
  const answer = await execute();
  await recordV2Answer(deps.db, digest, answer);
  return answer;
}
