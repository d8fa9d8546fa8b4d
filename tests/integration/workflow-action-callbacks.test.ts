import { describe, expect, it } from 'vitest';
import { sweepWaitingCallbacks } from '../../src/workflow-action';
import { recordResponse } from '../../src/responses/record';
import { markOutbox } from '../../src/outbox';
import { TEST_PORTAL_ID } from '../helpers/env';
import { signedFetch } from '../helpers/signed';
import { PATH, workflowActionHarness } from './workflow-action-fixture';

// Waiting for the answer: BLOCK, then one callback completion with the score, or with "expired".

describe('workflow action callbacks', () => {
  const h = workflowActionHarness();

  it('when waiting, answers BLOCK, then completes the callback once with the score and category after the answer', async () => {
    const contactId = await h.contact();
    const body = h.execution(contactId, { wait_for_answer: 'true', max_wait_days: '14' });
    expect(await (await signedFetch(h.s.url, PATH, { body })).json()).toEqual({
      outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P14D' },
    });
    const [inv] = await h.invitations(body.callbackId);
    expect(inv!.workflow_callback_id).toBe(body.callbackId);
    const waitDays = (new Date(inv!.wait_until!).getTime() - Date.now()) / 86_400_000;
    expect(waitDays).toBeGreaterThan(13.9);
    expect(waitDays).toBeLessThan(14);

    await h.flushWorkflowCallbacks(h.s.deps);
    expect(h.completions).toHaveLength(0);

    await recordResponse(h.s.deps, {
      portalId: TEST_PORTAL_ID,
      contactId,
      invitationId: inv!.id,
      score: 3,
      comment: 'meh',
      channel: 'page',
    });
    await h.flushWorkflowCallbacks(h.s.deps);
    expect(h.completions).toEqual([
      {
        callbackId: body.callbackId,
        body: {
          outputFields: {
            hs_execution_state: 'SUCCESS',
            nps_score: '3',
            nps_category: 'detractor',
            survey_outcome: 'answered',
            skip_reason: '',
          },
        },
      },
    ]);

    // A changed answer, a sweep and more flushes never complete the same callback twice.
    await recordResponse(h.s.deps, {
      portalId: TEST_PORTAL_ID,
      contactId,
      invitationId: inv!.id,
      score: 9,
      channel: 'page',
    });
    await sweepWaitingCallbacks(h.s.deps);
    await h.flushWorkflowCallbacks(h.s.deps);
    expect(h.completions).toHaveLength(1);
  });

  it('completes with outcome expired when the invitation expires', async () => {
    const body = h.execution(await h.contact(), { wait_for_answer: 'true' });
    await signedFetch(h.s.url, PATH, { body });
    const [inv] = await h.invitations(body.callbackId);
    // What the surveys expiry does: mark the invitation expired and queue its callback.
    await h.s.deps.db.query(`UPDATE invitations SET status = 'expired' WHERE id = $1`, [inv!.id]);
    await markOutbox(h.s.deps.db, TEST_PORTAL_ID, 'workflow-callback', inv!.id);
    await h.flushWorkflowCallbacks(h.s.deps);
    expect(h.completions).toEqual([
      {
        callbackId: body.callbackId,
        body: { outputFields: { hs_execution_state: 'SUCCESS', survey_outcome: 'expired', skip_reason: '' } },
      },
    ]);
  });

  it('completes with outcome expired when the wait runs out, retrying until HubSpot accepts it', async () => {
    const body = h.execution(await h.contact(), { wait_for_answer: 'true', max_wait_days: '1' });
    await signedFetch(h.s.url, PATH, { body });
    const [inv] = await h.invitations(body.callbackId);
    await h.s.deps.db.query(
      `UPDATE invitations SET status = 'sent', wait_until = now() - interval '1 minute' WHERE id = $1`,
      [inv!.id],
    );
    expect(await sweepWaitingCallbacks(h.s.deps)).toBe(1);

    h.completionReplies.push(503, 503, 503, 503, 503);
    expect(await h.flushWorkflowCallbacks(h.s.deps)).toMatchObject({ completed: 0, failed: 1 });
    expect(h.completions).toHaveLength(0);
    // The item backs off; once due again HubSpot is back.
    await h.s.deps.db.query(`UPDATE outbox SET due_at = now() WHERE kind = 'workflow-callback'`);
    expect(await h.flushWorkflowCallbacks(h.s.deps)).toMatchObject({ completed: 1 });
    expect(h.completions).toEqual([
      {
        callbackId: body.callbackId,
        body: { outputFields: { hs_execution_state: 'SUCCESS', survey_outcome: 'expired', skip_reason: '' } },
      },
    ]);
    const row = await h.s.deps.db.query<{ state: string; outcome: string }>(
      'SELECT state, outcome FROM workflow_callbacks WHERE callback_id = $1',
      [body.callbackId],
    );
    expect(row.rows[0]).toEqual({ state: 'completed', outcome: 'expired' });
  });
});
