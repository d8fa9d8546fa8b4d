import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importResponsesCsv } from '../../src/responses/import';
import { buildContactCard } from '../../src/card-api/contact-card';
import { fixedClock } from '../../src/shared/clock';
import { openDb } from '../../src/storage/db';
import { migrate } from '../../src/storage/migrate';
import { spawnTs } from '../helpers/child';
import { openTestDb, type TestDb } from '../helpers/db';
import { aPortal, someContacts } from '../factories';

const PORTAL = 4242;
const clock = fixedClock('2025-06-15T12:00:00Z');

async function seed(db: TestDb['db']) {
  await aPortal(db, { portalId: PORTAL });
  const now = new Date();
  await someContacts(db, PORTAL, [
    { contactId: 101, email: 'Ada@Example.com', companyId: 9001 },
    { contactId: 102, email: 'bob@example.com' },
    { contactId: 103, email: 'gone@example.com', deletedAt: now },
    { contactId: 104, email: 'old@example.com', deletedAt: now, mergedInto: 102 },
  ]);
}

describe('CSV import of answers', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
    await seed(t.db);
  });
  afterAll(async () => t?.cleanup());

  const deps = () => ({ db: t.db, clock });

  it('records the good rows, reports each bad row with its line and reason, and marks the write-back', async () => {
    const csv = [
      '\uFEFFEmail,Score,Comment,Date',
      'ada@example.com,9,"Fast, friendly ""support""",2025-06-01',
      'HubSpot_ID,,,', // line 3: no score, and "HubSpot_ID" is not an email
      'bob@example.com,11,too high,',
      'nobody@example.com,5,,',
      'bob@example.com,7,"two',
      'lines",2025-06-10T09:30:00+02:00',
      'bob@example.com,8,,31/12/2024',
      'bob@example.com,8,,2025-02-30',
      'gone@example.com,3,,',
      'bob@example.com,6,,2026-01-01',
    ].join('\r\n');
    const report = await importResponsesCsv(deps(), PORTAL, csv);
    expect(report.bad).toEqual([
      { line: 3, reason: 'bad score "": missing score; bad email "HubSpot_ID": is not an email address' },
      { line: 4, reason: 'bad score "11": must be a whole number from 0 to 10' },
      { line: 5, reason: 'unknown contact: no contact with email nobody@example.com' },
      {
        line: 8,
        reason: 'bad date "31/12/2024": not a valid ISO 8601 date; use e.g. 2024-03-31 or 2024-03-31T14:05:00Z',
      },
      {
        line: 9,
        reason: 'bad date "2025-02-30": not a valid ISO 8601 date; use e.g. 2024-03-31 or 2024-03-31T14:05:00Z',
      },
      { line: 10, reason: 'unknown contact: no contact with email gone@example.com' },
      { line: 11, reason: 'bad date "2026-01-01": it is in the future' },
    ]);
    // Ten lines after the header, one record spanning two of them.
    expect(report).toMatchObject({ rows: 9, imported: 2, alreadyImported: 0 });

    const rows = await t.db.query<{
      contact_id: string;
      score: number;
      comment: string | null;
      channel: string;
      trigger: string;
      answered_at: Date;
    }>(
      'SELECT contact_id, score, comment, channel, trigger, answered_at FROM responses WHERE portal_id = $1 ORDER BY contact_id',
      [PORTAL],
    );
    expect(
      rows.rows.map((r) => ({
        ...r,
        contact_id: Number(r.contact_id),
        answered_at: new Date(r.answered_at).toISOString(),
      })),
    ).toEqual([
      {
        contact_id: 101,
        score: 9,
        comment: 'Fast, friendly "support"',
        channel: 'import',
        trigger: 'import',
        answered_at: '2025-06-01T00:00:00.000Z',
      },
      {
        contact_id: 102,
        score: 7,
        comment: 'two\r\nlines',
        channel: 'import',
        trigger: 'import',
        answered_at: '2025-06-10T07:30:00.000Z',
      },
    ]);
    const outbox = await t.db.query<{ kind: string; item_key: string }>(
      `SELECT kind, item_key FROM outbox WHERE portal_id = $1 AND kind IN ('contact-properties', 'company-rollup') ORDER BY kind, item_key`,
      [PORTAL],
    );
    expect(outbox.rows).toEqual([
      { kind: 'company-rollup', item_key: '9001' },
      { kind: 'contact-properties', item_key: '101' },
      { kind: 'contact-properties', item_key: '102' },
    ]);
  });

  it('importing the same file again records nothing new', async () => {
    const csv = 'email,score,comment,date\nada@example.com,9,"Fast, friendly ""support""",2025-06-01\n';
    const report = await importResponsesCsv(deps(), PORTAL, csv);
    expect(report).toEqual({ rows: 1, imported: 0, alreadyImported: 1, bad: [] });
  });

  it('finds contacts by HubSpot id, follows merges, and refuses deleted ones', async () => {
    const report = await importResponsesCsv(deps(), PORTAL, 'contact_id;score\n104;10\n103;4\n999;5\nabc;5\n');
    expect(report.bad).toEqual([
      { line: 3, reason: 'unknown contact: contact 103 was deleted in HubSpot' },
      { line: 4, reason: 'unknown contact: no contact with id 999 (run a contact sync if it is new)' },
      { line: 5, reason: 'bad hubspot_id "abc": must be a HubSpot record id (digits)' },
    ]);
    const merged = await t.db.query<{ score: number }>(
      `SELECT score FROM responses WHERE portal_id = $1 AND contact_id = 102 AND score = 10`,
      [PORTAL],
    );
    expect(merged.rows).toHaveLength(1);
  });

  it('a row the database refuses is reported with its line; the rows after it are still imported', async () => {
    // A constraint of this test only stands in for whatever the database may refuse in one row.
    await t.db.exec(
      `ALTER TABLE responses ADD CONSTRAINT test_refuse_marker CHECK (comment IS DISTINCT FROM 'refuse me')`,
    );
    try {
      const csv = [
        'contact_id,score,comment,date',
        '101,4,first,2025-05-01',
        '101,5,refuse me,2025-05-02',
        '102,6,after,2025-05-03',
      ].join('\n');
      const report = await importResponsesCsv(deps(), PORTAL, csv);
      expect(report.imported).toBe(2);
      expect(report.bad).toEqual([{ line: 3, reason: expect.stringMatching(/^the database refused the row/) }]);
      const stored = await t.db.query<{ comment: string }>(
        `SELECT comment FROM responses WHERE portal_id = $1 AND comment IN ('first', 'refuse me', 'after') ORDER BY comment`,
        [PORTAL],
      );
      expect(stored.rows.map((r) => r.comment)).toEqual(['after', 'first']);
    } finally {
      await t.db.exec('ALTER TABLE responses DROP CONSTRAINT test_refuse_marker');
    }
  });

  it('refuses a comment holding NUL or an unpaired surrogate, by line, and imports the rest', async () => {
    const csv = 'contact_id,score,comment\n101,3,a\u0000b\n101,3,c\ud800d\n102,2,fine nul test\n';
    const report = await importResponsesCsv(deps(), PORTAL, csv);
    expect(report.bad.map((b) => b.line)).toEqual([2, 3]);
    expect(report.bad[0]!.reason).toContain('comment');
    expect(report.imported).toBe(1);
  });

  it.each(['0000-01-01', '1999-12-31', '0001-06-01T00:00:00Z', '2025-06-17'])(
    'a date outside 2000-01-01 .. tomorrow (%s) is reported by line and not stored',
    async (date) => {
      const report = await importResponsesCsv(deps(), PORTAL, `contact_id,score,date\n101,1,${date}\n`);
      expect(report.imported).toBe(0);
      expect(report.bad).toEqual([{ line: 2, reason: expect.stringContaining(`bad date "${date}"`) }]);
    },
  );

  it('accepts a date up to a day ahead (time zones), and the card of a contact with imported answers works', async () => {
    const report = await importResponsesCsv(deps(), PORTAL, 'contact_id,score,date\n101,8,2025-06-16\n');
    expect(report.bad).toEqual([]);
    const card = await buildContactCard(
      { db: t.db, followUps: { open: async () => [], forget: () => {} } },
      PORTAL,
      '101',
      clock.now(),
    );
    expect(card.history.length).toBeGreaterThan(0);
    expect(card.history.every((h) => !Number.isNaN(Date.parse(h.answeredAt)))).toBe(true);
  });

  it.each([
    ['name,comment\nx,y\n', 'missing columns: score, email or hubspot_id (header: name, comment)'],
    ['email,comment\nx,y\n', 'missing column: score (header: email, comment)'],
    ['', 'the file is empty; expected a header row such as: email,score,comment,date'],
    ['email,score\na@b.c,"9\n', 'line 2: a quoted field is never closed (missing "); nothing was imported'],
  ])('a file it cannot read is reported, not imported: %j', async (csv, reason) => {
    const report = await importResponsesCsv(deps(), PORTAL, csv);
    expect(report.imported).toBe(0);
    expect(report.bad[0]!.reason).toBe(reason);
  });
});

describe('npm run import', () => {
  let dir: string;
  beforeAll(async () => {
    // The CLI runs in its own process on an embedded database in a data directory, as an admin would run it.
    dir = mkdtempSync(join(tmpdir(), 'nps-import-'));
    const db = await openDb({ dataDir: dir });
    await migrate(db);
    await seed(db);
    await db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const env = () => ({
    DATA_DIR: dir,
    HUBSPOT_ACCESS_TOKEN: 'pat-test',
    HUBSPOT_PORTAL_ID: String(PORTAL),
    HUBSPOT_CLIENT_SECRET: 'test-client-secret-0123456789',
    HUBSPOT_API_BASE_URL: 'http://127.0.0.1:9',
    SURVEY_SIGNING_KEY: 'test-survey-signing-key-0123456789',
    ENCRYPTION_KEY: 'test-encryption-key-0123456789',
    LOG_LEVEL: 'error',
  });

  it('prints the bad rows with their lines, keeps the good ones and exits 2', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'email,score,comment\nada@example.com,10,great\nbob@example.com,x,\n');
    const child = spawnTs('src/cli/import.ts', env(), [bad]);
    expect((await child.exited).code).toBe(2);
    expect(child.output()).toMatch(/line\s+reason/);
    expect(child.output()).toMatch(/3\s+bad score "x": must be a whole number from 0 to 10/);
    expect(child.output()).toContain('2 row(s) read: 1 imported, 0 already imported earlier, 1 bad.');
    const db = await openDb({ dataDir: dir });
    try {
      const r = await db.query<{ score: number }>(
        `SELECT score FROM responses WHERE portal_id = $1 AND contact_id = 101`,
        [PORTAL],
      );
      expect(r.rows).toEqual([{ score: 10 }]);
    } finally {
      await db.close();
    }
  });

  it('explains its usage when no file is given', async () => {
    const child = spawnTs('src/cli/import.ts', env(), []);
    expect((await child.exited).code).toBe(64);
    expect(child.output()).toContain('usage: npm run import -- <file.csv>');
  });
});
