import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../storage';

// Waves and their invitations. Closing a wave is where anonymity is made permanent: the invitations (every email)
// go, tokens keep only their wave, and the answers are rewritten with fresh random ids in random order and without
// the key that let a respondent replace their answer.

export type WaveStatus = 'scheduled' | 'open' | 'closed';
export type Breakdown = 'team' | 'tenure' | 'location';

export interface Wave {
  id: string;
  portalId: number;
  opensOn: string;
  remindOn: string;
  closesOn: string;
  status: WaveStatus;
  questions: string[];
  breakdown: Breakdown;
  reminded: boolean;
  invited: number;
  /** Counted at close; null while open. */
  answered: number | null;
  minGroup: number | null;
}

export interface Invitee {
  email: string;
  firstName: string | null;
  language: string;
  team: string;
  tenure: string;
  location: string;
}

const WAVE_COLUMNS = `id, portal_id, to_char(opens_on, 'YYYY-MM-DD') AS opens_on, to_char(remind_on, 'YYYY-MM-DD') AS remind_on,
  to_char(closes_on, 'YYYY-MM-DD') AS closes_on, status, questions, breakdown, reminded, invited, answered, min_group`;

interface WaveRow {
  id: string;
  portal_id: string;
  opens_on: string;
  remind_on: string;
  closes_on: string;
  status: WaveStatus;
  questions: string[];
  breakdown: Breakdown;
  reminded: boolean;
  invited: number;
  answered: number | null;
  min_group: number | null;
}

function toWave(r: WaveRow): Wave {
  return {
    id: r.id,
    portalId: Number(r.portal_id),
    opensOn: r.opens_on,
    remindOn: r.remind_on,
    closesOn: r.closes_on,
    status: r.status,
    questions: r.questions,
    breakdown: r.breakdown,
    reminded: r.reminded,
    invited: r.invited,
    answered: r.answered,
    minGroup: r.min_group,
  };
}

export async function insertWave(
  db: Queryable,
  w: Pick<Wave, 'portalId' | 'opensOn' | 'remindOn' | 'closesOn' | 'questions' | 'breakdown'> & { createdOn: string },
): Promise<Wave> {
  const r = await db.query<WaveRow>(
    `INSERT INTO enps_waves (id, portal_id, opens_on, remind_on, closes_on, questions, breakdown, created_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${WAVE_COLUMNS}`,
    [
      randomUUID(),
      w.portalId,
      w.opensOn,
      w.remindOn,
      w.closesOn,
      JSON.stringify(w.questions),
      w.breakdown,
      w.createdOn,
    ],
  );
  return toWave(r.rows[0]!);
}

export async function listWaves(db: Queryable, portalId: number): Promise<Wave[]> {
  const r = await db.query<WaveRow>(
    `SELECT ${WAVE_COLUMNS} FROM enps_waves WHERE portal_id = $1 ORDER BY opens_on DESC, id`,
    [portalId],
  );
  return r.rows.map(toWave);
}

/** Waves with something to do today: to open, to remind, to close. Locked, so two app copies do not both act. */
export async function lockDueWaves(tx: Queryable, portalId: number, today: string): Promise<Wave[]> {
  const r = await tx.query<WaveRow>(
    `SELECT ${WAVE_COLUMNS} FROM enps_waves
      WHERE portal_id = $1 AND ((status = 'scheduled' AND opens_on <= $2)
         OR (status = 'open' AND (closes_on <= $2 OR (NOT reminded AND remind_on <= $2))))
      ORDER BY opens_on FOR UPDATE SKIP LOCKED`,
    [portalId, today],
  );
  return r.rows.map(toWave);
}

export async function latestOpensOn(db: Queryable, portalId: number): Promise<string | null> {
  const r = await db.query<{ d: string | null }>(
    `SELECT to_char(max(opens_on), 'YYYY-MM-DD') AS d FROM enps_waves WHERE portal_id = $1`,
    [portalId],
  );
  return r.rows[0]?.d ?? null;
}

/** Opens a wave: one invitation per person; returns their ids (the caller marks one mail each). */
export async function openWave(tx: Queryable, wave: Wave, invitees: Invitee[]): Promise<string[]> {
  const ids = invitees.map(() => randomUUID());
  if (invitees.length > 0)
    await tx.query(
      `INSERT INTO enps_invitations (id, portal_id, wave_id, email, first_name, language, team, tenure, location)
       SELECT i.id, $1, $2, i.email, i.first_name, i.language, i.team, i.tenure, i.location
         FROM jsonb_to_recordset($3::jsonb) AS i(id uuid, email text, first_name text, language text, team text, tenure text, location text)
       ON CONFLICT (wave_id, email) DO NOTHING`,
      [
        wave.portalId,
        wave.id,
        JSON.stringify(
          invitees.map((p, n) => ({
            id: ids[n],
            email: p.email,
            first_name: p.firstName,
            language: p.language,
            team: p.team,
            tenure: p.tenure,
            location: p.location,
          })),
        ),
      ],
    );
  await tx.query(`UPDATE enps_waves SET status = 'open', invited = $2 WHERE id = $1`, [wave.id, invitees.length]);
  return ids;
}

/** Marks the wave reminded; returns the invitations not answered yet. */
export async function remindWave(tx: Queryable, waveId: string): Promise<string[]> {
  await tx.query(`UPDATE enps_waves SET reminded = true WHERE id = $1`, [waveId]);
  const r = await tx.query<{ id: string }>(
    `SELECT id FROM enps_invitations WHERE wave_id = $1 AND NOT answered ORDER BY id`,
    [waveId],
  );
  return r.rows.map((x) => x.id);
}

/** Closes a wave for good (see the top of this file). */
export async function closeWave(tx: Queryable, waveId: string, minGroup: number): Promise<void> {
  const counted = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM enps_answers WHERE wave_id = $1`, [
    waveId,
  ]);
  await tx.query(`DELETE FROM enps_invitations WHERE wave_id = $1`, [waveId]);
  await tx.query(
    `WITH old AS (
       DELETE FROM enps_answers WHERE wave_id = $1
       RETURNING portal_id, wave_id, score, why, custom1, custom2, team_band, tenure_band, location_band, answered_on)
     INSERT INTO enps_answers (id, portal_id, wave_id, answer_key, score, why, custom1, custom2, team_band, tenure_band, location_band, answered_on)
     SELECT gen_random_uuid(), portal_id, wave_id, NULL, score, why, custom1, custom2, team_band, tenure_band, location_band, answered_on
       FROM old ORDER BY random()`,
    [waveId],
  );
  await tx.query(`UPDATE enps_waves SET status = 'closed', answered = $2, min_group = $3 WHERE id = $1`, [
    waveId,
    counted.rows[0]?.n ?? 0,
    minGroup,
  ]);
}

/** The admin's "close now": an open wave closes today (the next cycle closes it); a scheduled one is cancelled. */
export async function closeWaveEarly(db: Db, portalId: number, waveId: string, today: string): Promise<boolean> {
  const cancelled = await db.query(`DELETE FROM enps_waves WHERE portal_id = $1 AND id = $2 AND status = 'scheduled'`, [
    portalId,
    waveId,
  ]);
  if (cancelled.rowCount > 0) return true;
  const r = await db.query(
    `UPDATE enps_waves SET closes_on = $3::date, remind_on = LEAST(remind_on, $3::date)
      WHERE portal_id = $1 AND id = $2 AND status = 'open'`,
    [portalId, waveId, today],
  );
  return r.rowCount > 0;
}
