import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useNockedServer, HUBSPOT } from '../helpers/nocked-server';
import { TEST_PORTAL_ID } from '../helpers/env';
import { fixedClock } from '../../src/shared/clock';
import { drainPortal } from '../../src/outbox';
import { enpsMailOutbox, runEnpsCycle } from '../../src/enps';
import { Browser } from './dashboard-http';
import { enpsTokenOf, readEnpsTables } from './enps-db';

// Anonymity read straight from the database, the way its administrator could, after a wave: no column, id, key or
// time pairs an answer with a person, every stored band combination stands for at least k people, and the
// threshold edges hold on the page and in the export (4 answers: nothing; 5: results).

const clock = fixedClock('2026-05-04T08:00:00Z');
const K = 5;
const teams = [
  { id: '4100001', name: 'Sales', size: 7 },
  { id: '4100002', name: 'Support', size: 5 },
  { id: '4100003', name: 'Legal', size: 2 },
];
const OWNERS = teams.flatMap((t) =>
  Array.from({ length: t.size }, (_, i) => ({
    id: `${t.id}${i}`,
    email: `${t.name.toLowerCase()}${i}@corp.test`,
    firstName: `${t.name}${i}`,
    userId: Number(`${t.id}${i}`),
    archived: false,
    teams: [{ id: t.id, name: t.name, primary: true }],
  })),
);
const CSV = `email,team,location,tenure
sales0@corp.test,Sales,Aarhus,<1y
sales1@corp.test,Sales,Aarhus,1-2y
sales2@corp.test,Sales,Aarhus,1-2y
sales3@corp.test,Sales,Aarhus,1-2y
sales4@corp.test,Sales,Aarhus,1-2y
sales5@corp.test,Sales,Aarhus,1-2y
sales6@corp.test,Sales,Oslo,2-5y
`;

const s = useNockedServer({
  env: { RUN_WORKERS: 'false' },
  start: { clock },
  before: () => {
    nock(HUBSPOT).get('/crm/v3/owners').query(true).reply(200, { results: OWNERS }).persist();
  },
});

let browser: Browser;
let csrf = '';

async function signIn(): Promise<void> {
  browser = new Browser(s().url);
  csrf = await browser.signIn(s().config.adminToken!);
}

/** Opens a wave today; returns each person's token. */
async function openWave(closesOn: string): Promise<Map<string, string>> {
  await signIn();
  const today = clock.now().toISOString().slice(0, 10);
  const res = await browser.form('/dashboard/enps/waves', { _csrf: csrf, opensOn: today, closesOn, breakdown: 'team' });
  expect(res.status).toBe(303);
  const before = s().sentMail.length;
  await runEnpsCycle(s().deps, TEST_PORTAL_ID);
  await drainPortal(s().deps, enpsMailOutbox, TEST_PORTAL_ID, { hold: 0 });
  return new Map(
    s()
      .sentMail.slice(before)
      .map((m) => [m.to, enpsTokenOf(m.raw)]),
  );
}

async function answer(token: string, score: number, why = '') {
  const res = await fetch(`${s().url}/e/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ score: String(score), why }).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
}

async function close(on: string): Promise<void> {
  clock.set(`${on}T07:00:00Z`);
  expect(await runEnpsCycle(s().deps, TEST_PORTAL_ID)).toMatchObject({ closed: 1 });
}

/** Every text-like column of every table in the app's schema (pg-boss's own schema aside). */
async function textColumns(): Promise<Array<{ table: string; column: string; bytes: boolean }>> {
  const r = await s().deps.db.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'uuid', 'jsonb', 'bytea')
        AND table_name NOT LIKE 'pgboss%'`,
  );
  return r.rows.map((x) => ({ table: x.table_name, column: x.column_name, bytes: x.data_type === 'bytea' }));
}

/** For each needle, the columns (table.column) of the whole schema holding it anywhere in a value. */
async function whereIs(needles: string[]): Promise<Map<string, string[]>> {
  const found = new Map(needles.map((n) => [n, [] as string[]]));
  for (const { table, column, bytes } of await textColumns()) {
    const expr = bytes ? `encode("${column}", 'hex')` : `"${column}"::text`;
    const r = await s().deps.db.query<{ n: string }>(
      `SELECT n FROM unnest($1::text[]) AS n WHERE EXISTS (SELECT 1 FROM "${table}" WHERE strpos(lower(${expr}), lower(n)) > 0)`,
      [needles],
    );
    for (const { n } of r.rows) found.get(n)!.push(`${table}.${column}`);
  }
  return found;
}

describe('what the database holds of an eNPS wave', () => {
  it('has answers with no column, key or time finer than a day in common with invitations', async () => {
    const put = await fetch(`${s().url}/api/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${s().config.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enps: { minGroupSize: K } }),
    });
    expect(put.status).toBe(200);
    await signIn();
    expect((await browser.form('/dashboard/enps/employees', { _csrf: csrf, csv: CSV })).status).toBe(303);
    const tokens = await openWave('2026-05-18');
    expect(tokens.size).toBe(14);
    // Answers over two days, at different hours.
    const plan: Array<[string, number, string]> = [
      ['sales0@corp.test', 2, '2026-05-04T09:13:00Z'],
      ['sales1@corp.test', 9, '2026-05-04T11:40:00Z'],
      ['sales2@corp.test', 10, '2026-05-05T07:02:00Z'],
      ['sales3@corp.test', 8, '2026-05-05T15:30:00Z'],
      ['sales6@corp.test', 7, '2026-05-05T16:00:00Z'],
      ['support0@corp.test', 10, '2026-05-04T10:00:00Z'],
      ['support1@corp.test', 9, '2026-05-05T10:00:00Z'],
      ['legal0@corp.test', 0, '2026-05-05T12:00:00Z'],
    ];
    for (const [email, score, at] of plan) {
      clock.set(at);
      await answer(tokens.get(email)!, score, `note ${email.split('@')[0]}`);
    }

    const columns = await s().deps.db.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'enps_answers' ORDER BY ordinal_position`,
    );
    expect(columns.rows.map((c) => c.column_name)).toEqual([
      'id',
      'portal_id',
      'wave_id',
      'answer_key',
      'score',
      'why',
      'custom1',
      'custom2',
      'team_band',
      'tenure_band',
      'location_band',
      'answered_on',
    ]);
    expect(columns.rows.filter((c) => /time|interval/.test(c.data_type))).toEqual([]);
    const invitationColumns = await s().deps.db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'enps_invitations'`,
    );
    const shared = invitationColumns.rows
      .map((c) => c.column_name)
      .filter((c) => columns.rows.some((a) => a.column_name === c));
    expect(shared.sort()).toEqual(['id', 'portal_id', 'wave_id']);

    const keys = await s().deps.db.query<{ table_name: string; ref: string }>(
      `SELECT tc.table_name, ccu.table_name AS ref FROM information_schema.table_constraints tc
         JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
        WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() AND (tc.table_name = 'enps_answers' OR ccu.table_name = 'enps_answers')`,
    );
    expect(
      keys.rows
        .filter((k) => k.table_name === 'enps_answers')
        .map((k) => k.ref)
        .sort(),
    ).toEqual(['enps_waves', 'portals']);
    expect(keys.rows.filter((k) => k.ref === 'enps_answers')).toEqual([]);

    const open = await readEnpsTables(s().deps.db);
    expect(open.enps_answers).toHaveLength(8);
    // Answer ids and keys appear nowhere else, not even in the outbox or job tables.
    const ids = await whereIs(open.enps_answers.map((a) => a.id));
    const answerKeys = await whereIs(open.enps_answers.map((a) => Buffer.from(a.answer_key).toString('hex')));
    for (const places of ids.values()) expect(places).toEqual(['enps_answers.id']);
    for (const places of answerKeys.values()) expect(places).toEqual(['enps_answers.answer_key']);
    // Invitation times say when mail went, the same for everyone; never when anyone answered.
    expect(new Set(open.enps_invitations.map((i) => new Date(i.invited_at).getTime())).size).toBe(1);
    expect(new Set(open.enps_answers.map((a) => a.answered_on))).toEqual(new Set(['2026-05-04', '2026-05-05']));
  });

  it('after the wave closes, no email of the wave remains beside the uploaded list, and no query pairs an answer with one', async () => {
    const before = await readEnpsTables(s().deps.db);
    const invitees = before.enps_invitations.map((i) => ({
      email: i.email,
      team: i.team,
      tenure: i.tenure,
      location: i.location,
    }));
    await close('2026-05-18');
    const after = await readEnpsTables(s().deps.db);

    expect(after.enps_invitations).toEqual([]);
    expect(after.enps_answers.every((a) => a.answer_key === null)).toBe(true);
    // One transaction rewrote them all: row versions no longer tell who answered when.
    const xmins = await s().deps.db.query<{ n: number }>(
      `SELECT count(DISTINCT xmin::text)::int AS n FROM enps_answers`,
    );
    expect(xmins.rows[0]!.n).toBe(1);
    const emails = await whereIs(['sales0@corp.test', 'support0@corp.test', 'legal0@corp.test', 'legal1@corp.test']);
    for (const places of emails.values()) expect(places.filter((t) => t !== 'enps_employees.email')).toEqual([]);
    expect(emails.get('sales0@corp.test')).toEqual(['enps_employees.email']);

    // The attacker's best join: bands of an answer against what is known of each person (the invitation snapshot,
    // the employee list, HubSpot teams). Every stored combination fits at least K people.
    for (const a of after.enps_answers) {
      const fits = invitees.filter(
        (p) =>
          (a.team_band === 'other' || p.team === a.team_band) &&
          (a.tenure_band === 'unknown' || p.tenure === a.tenure_band) &&
          (a.location_band === 'unknown' || p.location === a.location_band),
      );
      expect(fits.length, JSON.stringify(a)).toBeGreaterThanOrEqual(K);
    }
    // The newcomer (alone with <1y) and the one in Oslo keep neither band.
    expect(after.enps_answers.filter((a) => a.tenure_band === '<1y' || a.location_band === 'Oslo')).toEqual([]);
  });

  it('shows a wave of exactly K answers, and nothing of a wave with K − 1', async () => {
    // The first wave: 8 answers, shown. A second with 4 answers shows nothing; a third with 5 shows its total.
    clock.set('2026-06-01T08:00:00Z');
    const second = await openWave('2026-06-10');
    for (const email of ['sales0@corp.test', 'sales1@corp.test', 'support0@corp.test', 'legal1@corp.test'])
      await answer(second.get(email)!, 10, 'fine');
    await close('2026-06-10');
    clock.set('2026-07-01T08:00:00Z');
    const third = await openWave('2026-07-10');
    for (const email of [
      'sales0@corp.test',
      'sales1@corp.test',
      'sales2@corp.test',
      'support0@corp.test',
      'legal1@corp.test',
    ])
      await answer(third.get(email)!, 9, 'good');
    clock.set('2026-07-02T08:00:00Z');
    await close('2026-07-10');

    await signIn();
    const html = await (await browser.fetch('/dashboard/enps')).text();
    expect(html).toMatch(/id="enps-value">\+100</);
    expect(html).toContain('5 answers');
    // The trend: 2026-05-04 shown, 2026-06-01 hidden, 2026-07-01 shown.
    expect(html).toMatch(/<th scope="row">2026-06-01<\/th><td>hidden<\/td><td><\/td><td>fewer than 5<\/td>/);
    expect(html).toMatch(/<th scope="row">2026-07-01<\/th><td>\+100<\/td>/);
    // 5 answers: the total, but no team (Sales 3, other 2 would be below K).
    expect(html).not.toMatch(/<th scope="row">Sales<\/th>/);
    const csv = await (await browser.fetch('/dashboard/enps/export.csv')).text();
    expect(csv).not.toContain('2026-06-01');
    expect(csv).toMatch(/2026-07-01,2026-07-10,team,all,5,5,0,0,100,/);
  });
});
