import { randomUUID } from 'node:crypto';
import type { Queryable } from '../storage';
import type { Breakdown, WaveStatus } from './waves.repo';
import type { PersonBands } from './enps.rules';

// Links, answers and what results read. An answer row is written from the link's wave and the coarsened bands
// only; nothing of the invitation (its id, email, timestamps) is copied into it.

export interface MailJob {
  invitationId: string;
  portalId: number;
  waveId: string;
  waveStatus: WaveStatus;
  closesOn: string;
  email: string;
  firstName: string | null;
  language: string;
  answered: boolean;
  invitedAt: Date | null;
  remindedAt: Date | null;
}

export async function mailJob(db: Queryable, portalId: number, invitationId: string): Promise<MailJob | undefined> {
  const r = await db.query<{
    wave_id: string;
    status: WaveStatus;
    closes_on: string;
    email: string;
    first_name: string | null;
    language: string;
    answered: boolean;
    invited_at: Date | null;
    reminded_at: Date | null;
  }>(
    `SELECT i.wave_id, w.status, to_char(w.closes_on, 'YYYY-MM-DD') AS closes_on, i.email, i.first_name, i.language,
            i.answered, i.invited_at, i.reminded_at
       FROM enps_invitations i JOIN enps_waves w ON w.id = i.wave_id
      WHERE i.portal_id = $1 AND i.id = $2`,
    [portalId, invitationId],
  );
  const x = r.rows[0];
  if (!x) return undefined;
  return {
    invitationId,
    portalId,
    waveId: x.wave_id,
    waveStatus: x.status,
    closesOn: x.closes_on,
    email: x.email,
    firstName: x.first_name,
    language: x.language,
    answered: x.answered,
    invitedAt: x.invited_at,
    remindedAt: x.reminded_at,
  };
}

export async function insertToken(db: Queryable, hash: Buffer, waveId: string, invitationId: string): Promise<void> {
  await db.query(`INSERT INTO enps_tokens (token_hash, wave_id, invitation_id) VALUES ($1, $2, $3)`, [
    hash,
    waveId,
    invitationId,
  ]);
}

export async function forgetToken(db: Queryable, hash: Buffer): Promise<void> {
  await db.query(`DELETE FROM enps_tokens WHERE token_hash = $1`, [hash]);
}

export async function markMailed(db: Queryable, invitationId: string, kind: 'invite' | 'remind', at: Date) {
  const column = kind === 'invite' ? 'invited_at' : 'reminded_at';
  await db.query(`UPDATE enps_invitations SET ${column} = $2 WHERE id = $1`, [invitationId, at]);
}

export interface LinkTarget {
  portalId: number;
  waveId: string;
  status: WaveStatus;
  closesOn: string;
  questions: string[];
  /** Null once the wave closed (the invitation is gone). */
  invitationId: string | null;
  language: string | null;
  answered: boolean;
}

/** What a link's token points at (by the invitation hash), or undefined for a token we never issued. */
export async function linkTarget(db: Queryable, hash: Buffer, lock = false): Promise<LinkTarget | undefined> {
  const r = await db.query<{
    portal_id: string;
    wave_id: string;
    status: WaveStatus;
    closes_on: string;
    questions: string[];
    invitation_id: string | null;
    language: string | null;
    answered: boolean | null;
  }>(
    `SELECT w.portal_id, t.wave_id, w.status, to_char(w.closes_on, 'YYYY-MM-DD') AS closes_on, w.questions,
            t.invitation_id, i.language, i.answered
       FROM enps_tokens t JOIN enps_waves w ON w.id = t.wave_id
       LEFT JOIN enps_invitations i ON i.id = t.invitation_id
      WHERE t.token_hash = $1${lock ? ' FOR UPDATE OF t' : ''}`,
    [hash],
  );
  const x = r.rows[0];
  if (!x) return undefined;
  return {
    portalId: Number(x.portal_id),
    waveId: x.wave_id,
    status: x.status,
    closesOn: x.closes_on,
    questions: x.questions,
    invitationId: x.invitation_id,
    language: x.language,
    answered: x.answered ?? false,
  };
}

/** Holds the invitation while an answer is recorded, so its two links cannot both add an answer at once. */
export async function lockInvitation(tx: Queryable, invitationId: string): Promise<void> {
  await tx.query(`SELECT 1 FROM enps_invitations WHERE id = $1 FOR UPDATE`, [invitationId]);
}

/** The bands of everyone invited to a wave: what an answer's bands are coarsened against. */
export async function inviteeBands(db: Queryable, waveId: string): Promise<PersonBands[]> {
  const r = await db.query<PersonBands>(`SELECT team, tenure, location FROM enps_invitations WHERE wave_id = $1`, [
    waveId,
  ]);
  return r.rows;
}

export async function bandsOfInvitation(db: Queryable, invitationId: string): Promise<PersonBands | undefined> {
  const r = await db.query<PersonBands>(`SELECT team, tenure, location FROM enps_invitations WHERE id = $1`, [
    invitationId,
  ]);
  return r.rows[0];
}

export async function hasAnswer(db: Queryable, key: Buffer): Promise<boolean> {
  const r = await db.query(`SELECT 1 FROM enps_answers WHERE answer_key = $1`, [key]);
  return r.rows.length > 0;
}

export interface AnswerInput {
  portalId: number;
  waveId: string;
  key: Buffer;
  score: number;
  why: string | null;
  custom: [string | null, string | null];
  bands: PersonBands;
  day: string;
}

/** Stores or replaces (same key) the answer; returns true when it replaced one. */
export async function upsertAnswer(tx: Queryable, a: AnswerInput): Promise<boolean> {
  const r = await tx.query<{ inserted: boolean }>(
    `INSERT INTO enps_answers (id, portal_id, wave_id, answer_key, score, why, custom1, custom2, team_band, tenure_band, location_band, answered_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (answer_key) DO UPDATE SET score = EXCLUDED.score, why = EXCLUDED.why, custom1 = EXCLUDED.custom1,
       custom2 = EXCLUDED.custom2, answered_on = EXCLUDED.answered_on
     RETURNING (xmax = 0) AS inserted`,
    [
      randomUUID(),
      a.portalId,
      a.waveId,
      a.key,
      a.score,
      a.why,
      a.custom[0],
      a.custom[1],
      a.bands.team,
      a.bands.tenure,
      a.bands.location,
      a.day,
    ],
  );
  return !r.rows[0]?.inserted;
}

export async function markAnswered(tx: Queryable, invitationId: string): Promise<void> {
  await tx.query(`UPDATE enps_invitations SET answered = true WHERE id = $1 AND NOT answered`, [invitationId]);
}

export async function answeredSoFar(db: Queryable, waveId: string): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM enps_answers WHERE wave_id = $1`, [waveId]);
  return r.rows[0]?.n ?? 0;
}

export interface ReleasedAnswer {
  score: number;
  group: string;
  why: string | null;
  custom1: string | null;
  custom2: string | null;
}

/** The answers of a closed wave, grouped by the wave's one breakdown (never read for an open wave). */
export async function closedWaveAnswers(db: Queryable, waveId: string, by: Breakdown): Promise<ReleasedAnswer[]> {
  const column = { team: 'team_band', tenure: 'tenure_band', location: 'location_band' }[by];
  const r = await db.query<ReleasedAnswer>(
    `SELECT a.score, a.${column} AS "group", a.why, a.custom1, a.custom2
       FROM enps_answers a JOIN enps_waves w ON w.id = a.wave_id
      WHERE a.wave_id = $1 AND w.status = 'closed'`,
    [waveId],
  );
  return r.rows;
}

/** Customer answers per contact owner in a period (the "happy team meets NPS heroes" comparison). */
export async function customerScoresByOwner(
  db: Queryable,
  portalId: number,
  from: Date,
  to: Date,
): Promise<Array<{ ownerId: string; score: number }>> {
  const r = await db.query<{ owner_id: string; score: number }>(
    `SELECT owner_id, score FROM responses
      WHERE portal_id = $1 AND owner_id IS NOT NULL AND score IS NOT NULL AND answered_at >= $2 AND answered_at < $3`,
    [portalId, from, to],
  );
  return r.rows.map((x) => ({ ownerId: x.owner_id, score: Number(x.score) }));
}
