import type { AppDeps } from '../core';
import { ensureContactsMirrored } from '../contacts';
import { getPortal, getSettings } from '../core';
import { AppError, NotFoundError } from '../shared';
import { DAY_MS } from '../shared';
import { scheduleInvitation } from '../triggers';
import {
  asStrings,
  blockAnswer,
  immediateAnswer,
  notInstalledAnswer,
  resolveLanguage,
  type ActionAnswer,
  type Execution,
  type InputFallback,
} from './payload';
import { findCallback, invitationStatus, storeCallback, type StoredCallback } from './workflow-action.repo';

// One execution of "Send NPS survey". Idempotent on callbackId: HubSpot retries an execution (5xx, timeouts)
// for up to 3 days, and a repeated call must get the same answer and schedule nothing. The invitation's
// milestone key `workflow:{callbackId}` makes the scheduling itself a no-op on a repeat, and the invitation and the
// stored answer commit in one transaction: either both exist or neither (a retry then schedules afresh).

/**
 * Our own "expired" completion must reach HubSpot before HubSpot's expiration (hs_expiration_duration) resumes
 * the enrollment without our outputs, so our wait ends this much earlier.
 */
const WAIT_MARGIN_MS = 15 * 60_000;

/**
 * How long HubSpot waits for our answer is not documented (a third-party guide says 20 s). The handler answers
 * within this bound: if HubSpot or our database is slower, it answers 503 and HubSpot retries the execution. The
 * work that was started goes on; the retry finds its answer (or joins it: scheduling is a no-op on a repeat).
 */
const ACTION_DEADLINE_MS = 5_000;

/** executeSendSurvey, bounded: a 503 (HubSpot retries) when the answer is not ready within `deadlineMs`. */
export async function executeWithinDeadline(
  deps: AppDeps,
  execution: Execution,
  deadlineMs = ACTION_DEADLINE_MS,
): Promise<ActionAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const work = executeSendSurvey(deps, execution);
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      deps.logger.warn(
        { portalId: execution.portalId, callbackId: execution.callbackId, deadlineMs, module: 'workflow-action' },
        'workflow action not answered within its deadline; answering 503 so HubSpot retries',
      );
      reject(new AppError(503, 'busy', 'the survey could not be scheduled in time; try again later'));
    }, deadlineMs);
  });
  // The work may still fail after the 503 went out: that failure is logged, not thrown at nobody.
  work.catch((err: unknown) => {
    if (!(err instanceof AppError))
      deps.logger.warn({ err, callbackId: execution.callbackId, module: 'workflow-action' }, 'workflow action failed');
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function logFallbacks(deps: AppDeps, execution: Execution, fallbacks: InputFallback[]): void {
  for (const f of fallbacks)
    deps.logger.info(
      {
        module: 'workflow-action',
        portalId: execution.portalId,
        callbackId: execution.callbackId,
        field: f.field,
        valueType: f.valueType,
        reason: f.reason,
        used: f.used,
      },
      'workflow action input out of range; using a fallback',
    );
}

async function executeSendSurvey(deps: AppDeps, execution: Execution): Promise<ActionAnswer> {
  const { callbackId, portalId, contactId, inputs } = execution;
  if (execution.selfTest) {
    // npm run doctor: the request passed the signature check and parsed; nothing is read, stored or scheduled.
    deps.logger.info({ portalId, callbackId, module: 'workflow-action' }, 'workflow action self-test answered');
    return immediateAnswer('skipped', 'self_test');
  }
  const stored = await findCallback(deps.db, callbackId);
  if (stored) {
    if (stored.portalId !== portalId)
      throw new NotFoundError(`callback ${callbackId} is not known for portal ${portalId}`, 'unknown_callback');
    return { outputFields: asStrings(stored.response.outputFields) };
  }
  const portal = await getPortal(deps.db, portalId);
  if (!portal || portal.status !== 'active') {
    // Not a 4xx: that would fail the enrolment for good. The workflow goes on, and the action shows a failure.
    deps.logger.warn({ portalId, callbackId, module: 'workflow-action' }, 'workflow action for a portal not installed');
    return notInstalledAnswer();
  }
  const settings = await getSettings(deps.db, portalId);
  const resolved = resolveLanguage(inputs.language, settings.defaultLanguage);
  const fallbacks = [...execution.fallbacks];
  if (resolved.fallback)
    fallbacks.push({ field: 'language', valueType: 'string', reason: resolved.fallback, used: resolved.language! });
  logFallbacks(deps, execution, fallbacks);

  try {
    await ensureContactsMirrored(deps, portalId, [String(contactId)]);
  } catch (err) {
    // A 5xx makes HubSpot retry the execution later, instead of skipping a survey for an outage of ours or theirs.
    deps.logger.warn(
      { err, portalId, contactId, module: 'workflow-action' },
      'could not read the enrolled contact from HubSpot; HubSpot will retry',
    );
    throw new AppError(503, 'hubspot_unavailable', 'could not read the contact from HubSpot; try again later');
  }

  // The invitation and the answer given for this callbackId are written in one transaction: if the answer cannot
  // be stored, no survey is scheduled either, and HubSpot's retry starts from scratch.
  const now = deps.clock.now();
  const waitUntil = new Date(now.getTime() + inputs.maxWaitDays * DAY_MS - WAIT_MARGIN_MS);
  let saved: StoredCallback | undefined;
  await scheduleInvitation(
    deps,
    {
      portalId,
      contactId,
      trigger: 'workflow',
      milestoneKey: `workflow:${callbackId}`,
      scheduledFor: now,
      channel: 'email',
      language: resolved.language,
      followUpQuestion: inputs.followUpQuestion,
      ...(inputs.waitForAnswer ? { workflowCallbackId: callbackId, waitUntil } : {}),
    },
    {
      inTransaction: async (tx, scheduled) => {
        const invitation = scheduled.invitationId ? await invitationStatus(tx, portalId, scheduled.invitationId) : null;
        const skipReason =
          scheduled.skipReason ?? (invitation?.status === 'skipped' ? (invitation.skipReason ?? 'skipped') : undefined);
        // A skipped survey never blocks: there is nothing to wait for.
        const answer = skipReason
          ? immediateAnswer('skipped', skipReason)
          : inputs.waitForAnswer
            ? blockAnswer(inputs.maxWaitDays)
            : immediateAnswer('sent');
        saved = await storeCallback(tx, {
          callbackId,
          portalId,
          contactId,
          invitationId: scheduled.invitationId ?? null,
          surveyLabel: inputs.surveyLabel,
          waitForAnswer: inputs.waitForAnswer,
          state: answer.outputFields.hs_execution_state === 'BLOCK' ? 'waiting' : 'responded',
          outcome: skipReason ? 'skipped' : inputs.waitForAnswer ? null : 'sent',
          response: answer,
        });
      },
    },
  );
  if (!saved) throw new Error(`workflow callback ${callbackId} was not stored`);
  deps.logger.info(
    {
      portalId,
      contactId,
      callbackId,
      outcome: saved.response.outputFields.survey_outcome ?? 'waiting',
      module: 'workflow-action',
    },
    'workflow action executed',
  );
  return { outputFields: asStrings(saved.response.outputFields) };
}
