import type { Db, Queryable } from '../storage';
import { companyRollupOutbox, contactPropertiesOutbox } from '../responses';
import { followUpOutbox } from '../follow-ups';

// Excluding an answer moves its row (and its follow-up's) out of `responses` into answer_exclusions; including it
// again moves them back with the same ids (see migration 581 for why). Both record an audit event and mark the
// contact's properties and the company's NPS for write-back, in the same transaction. Every statement filters on
// the portal of the signed-in user: another portal's answer is as unknown as one that never existed.

export interface AnswerSummary {
  responseId: string;
  contactId: string;
  contactName: string | null;
  contactEmail: string | null;
  score: number;
  comment: string | null;
  answeredAt: Date;
}

export interface ExcludedAnswer extends AnswerSummary {
  excludedBy: string;
  excludedAt: Date;
  reason: string;
}

export interface ExclusionEvent {
  responseId: string;
  action: 'excluded' | 'included';
  actor: string;
  reason: string;
  at: Date;
}

export type ExcludeOutcome = 'excluded' | 'already_excluded' | 'not_found';
export type IncludeOutcome = 'included' | 'not_excluded' | 'replaced' | 'not_found';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The answer as the confirmation page shows it; null when the portal has no such (counted) answer. */
export async function findAnswer(db: Queryable, portalId: number, responseId: string): Promise<AnswerSummary | null> {
  if (!UUID.test(responseId)) return null;
  const r = await db.query<SummaryRow>(
    `SELECT r.id, r.contact_id, c.firstname, c.lastname, c.email, r.score, r.comment, r.answered_at
       FROM responses r LEFT JOIN contacts c ON c.portal_id = r.portal_id AND c.contact_id = r.contact_id
      WHERE r.portal_id = $1 AND r.id = $2`,
    [portalId, responseId],
  );
  return r.rows[0] ? summary(r.rows[0]) : null;
}

export async function excludeAnswer(
  db: Db,
  who: { portalId: number; actor: string; reason: string; now: Date },
  responseId: string,
): Promise<ExcludeOutcome> {
  if (!UUID.test(responseId)) return 'not_found';
  return db.transaction(async (tx) => {
    const found = await tx.query<{
      response: unknown;
      follow_up: unknown;
      contact_id: string;
      company_id: string | null;
    }>(
      `SELECT to_jsonb(r) AS response, (SELECT to_jsonb(f) FROM follow_ups f WHERE f.response_id = r.id) AS follow_up,
              r.contact_id, r.company_id
         FROM responses r WHERE r.portal_id = $1 AND r.id = $2 FOR UPDATE`,
      [who.portalId, responseId],
    );
    const row = found.rows[0];
    if (!row) return (await isExcluded(tx, who.portalId, responseId)) ? 'already_excluded' : 'not_found';
    await tx.query(
      `INSERT INTO answer_exclusions (response_id, portal_id, contact_id, company_id, score, answered_at, response, follow_up,
                                      excluded_by, excluded_at, reason)
       SELECT r.id, r.portal_id, r.contact_id, r.company_id, r.score, r.answered_at, $3::jsonb, $4::jsonb, $5, $6, $7
         FROM responses r WHERE r.portal_id = $1 AND r.id = $2`,
      [
        who.portalId,
        responseId,
        JSON.stringify(row.response),
        row.follow_up ? JSON.stringify(row.follow_up) : null,
        who.actor,
        who.now,
        who.reason,
      ],
    );
    // Its follow-up row goes with it (ON DELETE CASCADE); the stored copy brings it back.
    await tx.query('DELETE FROM responses WHERE portal_id = $1 AND id = $2', [who.portalId, responseId]);
    await recordEvent(tx, who, responseId, 'excluded');
    await markWriteBack(tx, who.portalId, row.contact_id, row.company_id);
    return 'excluded';
  });
}

export async function includeAnswer(
  db: Db,
  who: { portalId: number; actor: string; reason: string; now: Date },
  responseId: string,
): Promise<IncludeOutcome> {
  if (!UUID.test(responseId)) return 'not_found';
  return db.transaction(async (tx) => {
    const found = await tx.query<{
      response: unknown;
      follow_up: { status?: string } | null;
      contact_id: string;
      company_id: string | null;
    }>(
      `SELECT response, follow_up, contact_id, company_id FROM answer_exclusions WHERE portal_id = $1 AND response_id = $2 FOR UPDATE`,
      [who.portalId, responseId],
    );
    const row = found.rows[0];
    if (!row) {
      const counted = await tx.query('SELECT 1 FROM responses WHERE portal_id = $1 AND id = $2', [
        who.portalId,
        responseId,
      ]);
      return counted.rows.length > 0 ? 'not_excluded' : 'not_found';
    }
    // The respondent answered the same survey again while this answer was excluded: the newer answer stands.
    const replaced = await tx.query(
      `SELECT 1 FROM responses r WHERE r.portal_id = $1 AND r.invitation_id = ($2::jsonb ->> 'invitation_id')::uuid`,
      [who.portalId, JSON.stringify(row.response)],
    );
    if (replaced.rows.length > 0) return 'replaced';
    await tx.query('INSERT INTO responses SELECT * FROM jsonb_populate_record(NULL::responses, $1::jsonb)', [
      JSON.stringify(row.response),
    ]);
    if (row.follow_up) {
      await tx.query('INSERT INTO follow_ups SELECT * FROM jsonb_populate_record(NULL::follow_ups, $1::jsonb)', [
        JSON.stringify(row.follow_up),
      ]);
      // A task that was still being created when the answer was excluded is created now.
      if (row.follow_up.status === 'pending') await followUpOutbox.mark(tx, who.portalId, responseId);
    }
    await tx.query('DELETE FROM answer_exclusions WHERE portal_id = $1 AND response_id = $2', [
      who.portalId,
      responseId,
    ]);
    await recordEvent(tx, who, responseId, 'included');
    await markWriteBack(tx, who.portalId, row.contact_id, row.company_id);
    return 'included';
  });
}

/** The portal's excluded answers, newest exclusion first. */
export async function listExcluded(db: Queryable, portalId: number, limit: number): Promise<ExcludedAnswer[]> {
  const r = await db.query<SummaryRow & { excluded_by: string; excluded_at: Date | string; reason: string }>(
    `SELECT x.response_id AS id, x.contact_id, c.firstname, c.lastname, c.email, x.score, x.response ->> 'comment' AS comment,
            x.answered_at, x.excluded_by, x.excluded_at, x.reason
       FROM answer_exclusions x LEFT JOIN contacts c ON c.portal_id = x.portal_id AND c.contact_id = x.contact_id
      WHERE x.portal_id = $1 ORDER BY x.excluded_at DESC, x.response_id LIMIT ${Number(limit)}`,
    [portalId],
  );
  return r.rows.map((x) => ({
    ...summary(x),
    excludedBy: x.excluded_by,
    excludedAt: new Date(x.excluded_at),
    reason: x.reason,
  }));
}

/** The audit trail, newest first: who excluded or included which answer, when and why. */
export async function exclusionEvents(db: Queryable, portalId: number, limit: number): Promise<ExclusionEvent[]> {
  const r = await db.query<{
    response_id: string;
    action: 'excluded' | 'included';
    actor: string;
    reason: string;
    at: Date | string;
  }>(
    `SELECT response_id, action, actor, reason, at FROM answer_exclusion_events WHERE portal_id = $1
      ORDER BY at DESC, id DESC LIMIT ${Number(limit)}`,
    [portalId],
  );
  return r.rows.map((x) => ({
    responseId: x.response_id,
    action: x.action,
    actor: x.actor,
    reason: x.reason,
    at: new Date(x.at),
  }));
}

interface SummaryRow {
  id: string;
  contact_id: string;
  firstname: string | null;
  lastname: string | null;
  email: string | null;
  score: number;
  comment: string | null;
  answered_at: Date | string;
}

function summary(x: SummaryRow): AnswerSummary {
  return {
    responseId: x.id,
    contactId: String(x.contact_id),
    contactName: [x.firstname, x.lastname].filter(Boolean).join(' ') || null,
    contactEmail: x.email,
    score: Number(x.score),
    comment: x.comment,
    answeredAt: new Date(x.answered_at),
  };
}

async function isExcluded(db: Queryable, portalId: number, responseId: string): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM answer_exclusions WHERE portal_id = $1 AND response_id = $2', [
    portalId,
    responseId,
  ]);
  return r.rows.length > 0;
}

async function recordEvent(
  db: Queryable,
  who: { portalId: number; actor: string; reason: string; now: Date },
  responseId: string,
  action: 'excluded' | 'included',
): Promise<void> {
  await db.query(
    'INSERT INTO answer_exclusion_events (portal_id, response_id, action, actor, reason, at) VALUES ($1, $2, $3, $4, $5, $6)',
    [who.portalId, responseId, action, who.actor, who.reason, who.now],
  );
}

/**
 * The contact's current score and the company's NPS change: both are written back through the outbox. Company NPS
 * counts contacts under their current primary company; the company the answer was given for is marked too.
 */
async function markWriteBack(
  db: Queryable,
  portalId: number,
  contactId: string,
  answerCompanyId: string | null,
): Promise<void> {
  await contactPropertiesOutbox.mark(db, portalId, String(contactId));
  const current = await db.query<{ company_id: string | null }>(
    'SELECT company_id FROM contacts WHERE portal_id = $1 AND contact_id = $2',
    [portalId, contactId],
  );
  const companies = new Set(
    [answerCompanyId, current.rows[0]?.company_id ?? null].filter((c) => c !== null).map(String),
  );
  for (const companyId of companies) await companyRollupOutbox.mark(db, portalId, companyId);
}

/** The contact an answer of this portal belongs to, counted or excluded; null when the portal has no such answer. */
export async function contactOfAnswer(db: Queryable, portalId: number, responseId: string): Promise<string | null> {
  if (!UUID.test(responseId)) return null;
  const r = await db.query<{ contact_id: string }>(
    `SELECT contact_id::text AS contact_id FROM responses WHERE portal_id = $1 AND id = $2
     UNION ALL
     SELECT contact_id::text FROM answer_exclusions WHERE portal_id = $1 AND response_id = $2`,
    [portalId, responseId],
  );
  return r.rows[0]?.contact_id ?? null;
}
