import type { AppDeps } from '../core';
import { ensureContactsMirrored } from '../contacts';
import { getPortal } from '../core';
import { AppError, NotFoundError } from '../shared';
import { DAY_MS } from '../shared';
import { scheduleInvitation } from '../triggers';
import { blockAnswer, immediateAnswer, type ActionAnswer, type Execution } from './payload';
import { findCallback, invitationStatus, storeCallback } from './workflow-action.repo';

// One execution of "Send NPS survey". Idempotent on callbackId: HubSpot retries an execution (5xx, timeouts)
// for up to 3 days, and a repeated call must get the same answer and schedule nothing. The invitation's
// milestone key `workflow:{callbackId}` makes the scheduling itself a no-op on a repeat, so even a crash between
// scheduling and storing the answer ends in one invitation and one consistent answer.

/**
 * Our own "expired" completion must reach HubSpot before HubSpot's expiration (hs_expiration_duration) resumes
 * the enrollment without our outputs, so our wait ends this much earlier.
 */
const WAIT_MARGIN_MS = 15 * 60_000;

export async function executeSendSurvey(deps: AppDeps, execution: Execution): Promise<ActionAnswer> {
  const { callbackId, portalId, contactId, inputs } = execution;
  const stored = await findCallback(deps.db, callbackId);
  if (stored) {
    if (stored.portalId !== portalId)
      throw new NotFoundError(`callback ${callbackId} is not known for portal ${portalId}`, 'unknown_callback');
    return stored.response;
  }
  const portal = await getPortal(deps.db, portalId);
  if (!portal || portal.status !== 'active')
    throw new NotFoundError(`portal ${portalId} has not installed NPS Loop`, 'unknown_portal');

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

  const now = deps.clock.now();
  const waitUntil = new Date(now.getTime() + inputs.maxWaitDays * DAY_MS - WAIT_MARGIN_MS);
  const scheduled = await scheduleInvitation(deps, {
    portalId,
    contactId,
    trigger: 'workflow',
    milestoneKey: `workflow:${callbackId}`,
    scheduledFor: now,
    channel: 'email',
    language: inputs.language,
    followUpQuestion: inputs.followUpQuestion,
    ...(inputs.waitForAnswer ? { workflowCallbackId: callbackId, waitUntil } : {}),
  });
  const invitation = scheduled.invitationId ? await invitationStatus(deps.db, portalId, scheduled.invitationId) : null;
  const skipReason =
    scheduled.skipReason ?? (invitation?.status === 'skipped' ? (invitation.skipReason ?? 'skipped') : undefined);

  // A skipped survey never blocks: there is nothing to wait for.
  const answer = skipReason
    ? immediateAnswer('skipped', skipReason)
    : inputs.waitForAnswer
      ? blockAnswer(inputs.maxWaitDays)
      : immediateAnswer('sent');
  const saved = await storeCallback(deps.db, {
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
  return saved.response;
}
