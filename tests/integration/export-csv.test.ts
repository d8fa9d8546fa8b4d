import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { fixedClock } from '../../src/shared/clock';
import { ANSWERS, PERIOD, PORTAL, answersIn, seedFixture, nockOwners } from './insights-fixture';
import { someResponses } from '../factories';

// GET /api/insights/export.csv streams the answers under the filters, in pages, oldest first.

const clock = fixedClock('2026-07-01T12:00:00Z');
const HEADER =
  'response_id,answered_at,score,category,comment,follow_up_question,follow_up_answer,channel,trigger,source_object_type,source_object_id,pipeline,stage,contact_id,company_id,owner_id,language';
let s: TestServer;
let ids: Map<string, string>;
const get = (query: string) =>
  fetch(`${s.url}/api/insights/export.csv?${query}`, {
    headers: { authorization: 'Bearer test-admin-token-0123456789' },
  });

/** A minimal RFC 4180 reader for checking what we wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  nockOwners();
  s = await startTestServer({ RUN_WORKERS: 'false' }, { clock });
  ids = await seedFixture(s.deps.db);
});
afterAll(async () => {
  await s?.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('CSV export', () => {
  it('streams a header and one row per answer in the period, oldest first, with comments escaped', async () => {
    const res = await get(`from=${PERIOD.from}&to=${PERIOD.to}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="nps-answers-2026-06-01-to-2026-06-30.csv"',
    );
    const rows = parseCsv(await res.text());
    expect(rows[0]!.join(',')).toBe(HEADER);
    const expected = [...answersIn(PERIOD)].sort((a, b) => a.at.localeCompare(b.at));
    expect(rows.slice(1).map((r) => r[0])).toEqual(expected.map((a) => ids.get(a.key)));
    const a6 = rows.find((r) => r[0] === ids.get('a6'))!;
    expect(a6).toEqual([
      ids.get('a6'),
      '2026-06-15T12:00:00.000Z',
      '10',
      'promoter',
      'Love it, "really"\nSecond line',
      '',
      '',
      'email',
      'deal',
      'deal',
      String(7000 + ANSWERS.findIndex((a) => a.key === 'a6')),
      'default',
      'closedwon',
      '4',
      '501',
      '22',
      'en',
    ]);
  });

  it('neutralises spreadsheet formulas in comments', async () => {
    const text = await (await get(`from=${PERIOD.from}&to=${PERIOD.to}&category=detractor`)).text();
    const rows = parseCsv(text);
    expect(rows.find((r) => r[0] === ids.get('a5'))![4]).toBe(`'=HYPERLINK("http://evil")`);
    expect(text).not.toMatch(/,=HYPERLINK/);
  });

  it('applies the segment, search and latest-per-person filters', async () => {
    const keys = async (q: string) =>
      parseCsv(await (await get(`from=${PERIOD.from}&to=${PERIOD.to}&${q}`)).text())
        .slice(1)
        .map((r) => [...ids].find(([, id]) => id === r[0])![0]);
    expect(await keys('segment=owner:22')).toEqual(['a5', 'a6', 'a7']);
    expect(await keys('q=love')).toEqual(['a6']);
    expect(await keys('mode=latest')).toEqual(['a5', 'a2', 'a4', 'a7']);
  });

  it('an empty range gives the header only', async () => {
    const text = await (await get('from=2020-01-01&to=2020-01-31')).text();
    expect(text).toBe(`${HEADER}\r\n`);
  });

  it('pages through many answers without losing or repeating one, even when they share a timestamp', async () => {
    await someResponses(
      s.deps.db,
      Array.from({ length: 4500 }, (_, i) => i + 1).map((g) => ({
        portalId: PORTAL,
        contactId: 1 + (g % 4),
        score: g % 11,
        channel: 'import' as const,
        trigger: 'import',
        answeredAt: new Date(Date.parse('2026-03-01T00:00:00Z') + Math.floor(g / 3) * 1000),
        comment: `bulk ${g}`,
      })),
    );
    const rows = parseCsv(await (await get('from=2026-03-01&to=2026-03-01')).text()).slice(1);
    expect(rows).toHaveLength(4500);
    expect(new Set(rows.map((r) => r[0])).size).toBe(4500);
    expect(rows.map((r) => Number(r[4]!.slice(5))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 4500 }, (_, i) => i + 1),
    );
    const times = rows.map((r) => r[1]!);
    expect([...times].sort()).toEqual(times);
  });
});
