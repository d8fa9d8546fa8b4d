import type { Queryable } from '../storage';
import type { ResolvedWording } from '../surveys';

// Test surveys live in their own table (migration 510): nothing that reads invitations or responses sees them.

export interface TestSurvey {
  id: string;
  portalId: number;
  language: string;
  wording: ResolvedWording;
  expiresAt: Date;
  answer: { score: number; comment: string | null; followUp: string | null } | null;
}

export async function insertTestSurvey(
  db: Queryable,
  t: {
    portalId: number;
    sentTo: string;
    sentBy: string;
    language: string;
    wording: ResolvedWording;
    expiresAt: Date;
    now: Date;
  },
): Promise<string> {
  const r = await db.query<{ id: string }>(
    `INSERT INTO test_surveys (portal_id, sent_to, sent_by, language, wording, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) RETURNING id`,
    [t.portalId, t.sentTo, t.sentBy, t.language, JSON.stringify(t.wording), t.expiresAt, t.now],
  );
  return r.rows[0]!.id;
}

export async function loadTestSurvey(db: Queryable, portalId: number, id: string): Promise<TestSurvey | null> {
  const r = await db.query<{
    id: string;
    language: string;
    wording: ResolvedWording | string;
    expires_at: Date | string;
    score: number | null;
    comment: string | null;
    follow_up_answer: string | null;
  }>(
    `SELECT id, language, wording, expires_at, score, comment, follow_up_answer
     FROM test_surveys WHERE portal_id = $1 AND id = $2`,
    [portalId, id],
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    portalId,
    language: row.language,
    wording: typeof row.wording === 'string' ? (JSON.parse(row.wording) as ResolvedWording) : row.wording,
    expiresAt: new Date(row.expires_at),
    answer:
      row.score === null ? null : { score: Number(row.score), comment: row.comment, followUp: row.follow_up_answer },
  };
}

export async function answerTestSurvey(
  db: Queryable,
  portalId: number,
  id: string,
  answer: { score: number; comment: string | null; followUp: string | null },
  now: Date,
): Promise<boolean> {
  const r = await db.query(
    `UPDATE test_surveys SET score = $3, comment = $4, follow_up_answer = $5, answered_at = $6
     WHERE portal_id = $1 AND id = $2 AND expires_at > $6`,
    [portalId, id, answer.score, answer.comment, answer.followUp, now],
  );
  return (r.rowCount ?? 0) > 0;
}

/** How many test surveys a portal sent since `since` (test sends are capped: each is a real email). */
export async function countTestSurveysSince(db: Queryable, portalId: number, since: Date): Promise<number> {
  const r = await db.query<{ n: string }>(
    'SELECT count(*) AS n FROM test_surveys WHERE portal_id = $1 AND created_at > $2',
    [portalId, since],
  );
  return Number(r.rows[0]?.n ?? 0);
}
