import type { Queryable } from '../../src/storage/db';

// Reading the eNPS tables directly, the way a database administrator could: every row of every table.

export const ENPS_TABLES = ['enps_waves', 'enps_invitations', 'enps_tokens', 'enps_answers', 'enps_employees'] as const;

type Row = Record<string, any>;

export async function readEnpsTables(db: Queryable): Promise<Record<(typeof ENPS_TABLES)[number], Row[]>> {
  const out = {} as Record<(typeof ENPS_TABLES)[number], Row[]>;
  for (const table of ENPS_TABLES) {
    const r = await db.query<Row>(
      table === 'enps_answers'
        ? `SELECT *, to_char(answered_on, 'YYYY-MM-DD') AS answered_on FROM ${table}`
        : `SELECT * FROM ${table}`,
    );
    out[table] = r.rows;
  }
  return out;
}

/** The one-time token in an eNPS mail (quoted-printable soft breaks undone). */
export function enpsTokenOf(raw: Buffer): string {
  const text = raw.toString('utf8').replace(/=\r?\n/g, '');
  const m = /\/e\/([A-Za-z0-9_-]{43})/.exec(text);
  if (!m) throw new Error('no eNPS link in the mail');
  return m[1]!;
}
