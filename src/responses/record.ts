import type { AppDeps } from '../deps';
import type { Queryable } from '../storage/db';
import { markOutbox } from '../storage/outbox';
import { categoryOf, type Category } from './nps';

/** How long a company's NPS waits after an answer before it is recomputed and written. */
export const COMPANY_ROLLUP_DELAY_MS = 60_000;

export type ResponseChannel = 'email' | 'page' | 'manual' | 'import' | 'workflow';

export interface RecordInput {
  portalId: number;
  contactId: number;
  score: number;
  comment?: string | null;
  followUpAnswer?: string | null;
  channel: ResponseChannel;
  /** The invitation answered; a second answer to it replaces the first (the latest answer wins). */
  invitationId?: string;
  answeredAt?: Date;
  /** Makes an import row idempotent. */
  importKey?: string;
  /** For answers without an invitation (manual, import). */
  trigger?: 'manual' | 'import';
}

export interface Recorded {
  responseId: string;
  category: Category;
  /** false when an existing answer was changed. */
  created: boolean;
}

interface InvitationRow {
  id: string;
  contact_id: string;
  trigger: string;
  source_object_type: string | null;
  source_object_id: string | null;
  source_pipeline: string | null;
  source_stage: string | null;
  language: string | null;
  workflow_callback_id: string | null;
}

/**
 * Stores an answer and, in the same transaction, the outbox items that carry it back to HubSpot (contact
 * properties, company rollup, follow-up task, workflow callback). When this resolves the answer is durable.
 */
export async function recordResponse(deps: Pick<AppDeps, 'db' | 'clock'>, input: RecordInput): Promise<Recorded> {
  const category = categoryOf(input.score);
  const answeredAt = input.answeredAt ?? deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const contact = await tx.query<{ owner_id: string | null; company_id: string | null; language: string | null }>(
      'SELECT owner_id, company_id, language FROM contacts WHERE portal_id = $1 AND contact_id = $2',
      [input.portalId, input.contactId],
    );
    const c = contact.rows[0];
    const invitation = input.invitationId ? await loadInvitation(tx, input.portalId, input.invitationId) : undefined;
    if (input.importKey) {
      // A re-imported row (same import key) is the same answer: report it as existing and change nothing.
      const existing = await tx.query<{ id: string; category: Category }>('SELECT id, category FROM responses WHERE portal_id = $1 AND import_key = $2', [input.portalId, input.importKey]);
      if (existing.rows[0]) return { responseId: existing.rows[0].id, category: existing.rows[0].category, created: false };
    }
    const r = await tx.query<{ id: string; created: boolean }>(
      `INSERT INTO responses (portal_id, contact_id, invitation_id, score, category, comment, follow_up_answer, channel, trigger,
         source_object_type, source_object_id, source_pipeline, source_stage, owner_id, company_id, language, import_key, answered_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)
       ON CONFLICT (invitation_id) DO UPDATE SET score = EXCLUDED.score, category = EXCLUDED.category, comment = EXCLUDED.comment,
         follow_up_answer = EXCLUDED.follow_up_answer, channel = EXCLUDED.channel, answered_at = EXCLUDED.answered_at, updated_at = now()
       RETURNING id, (xmax = 0) AS created`,
      [
        input.portalId, input.contactId, invitation?.id ?? null, input.score, category, input.comment ?? null, input.followUpAnswer ?? null,
        input.channel, invitation?.trigger ?? input.trigger ?? 'manual', invitation?.source_object_type ?? null, invitation?.source_object_id ?? null,
        invitation?.source_pipeline ?? null, invitation?.source_stage ?? null, c?.owner_id ?? null, c?.company_id ?? null,
        invitation?.language ?? c?.language ?? null, input.importKey ?? null, answeredAt,
      ],
    );
    const { id: responseId, created } = r.rows[0]!;
    if (invitation) {
      await tx.query(`UPDATE invitations SET status = 'answered', answered_at = $3, updated_at = now() WHERE portal_id = $1 AND id = $2`, [input.portalId, invitation.id, answeredAt]);
      if (invitation.workflow_callback_id) await markOutbox(tx, input.portalId, 'workflow-callback', invitation.id);
    }
    await markOutbox(tx, input.portalId, 'contact-properties', String(input.contactId));
    // The company NPS is recomputed a little later, so a burst of answers from one company costs one write.
    if (c?.company_id) await markOutbox(tx, input.portalId, 'company-rollup', String(c.company_id), new Date(deps.clock.now().getTime() + COMPANY_ROLLUP_DELAY_MS));
    await markOutbox(tx, input.portalId, 'follow-up', responseId);
    return { responseId, category, created };
  });
}

async function loadInvitation(tx: Queryable, portalId: number, id: string): Promise<InvitationRow | undefined> {
  const r = await tx.query<InvitationRow>(
    `SELECT id, contact_id, trigger, source_object_type, source_object_id, source_pipeline, source_stage, language, workflow_callback_id
     FROM invitations WHERE portal_id = $1 AND id = $2`,
    [portalId, id],
  );
  return r.rows[0];
}
