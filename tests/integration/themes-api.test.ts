import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { aPortal, aResponse } from '../factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { TEST_PORTAL_ID } from '../helpers/env';
import { Browser } from './dashboard-http';
import { themesFeature } from '../../src/themes';

// Comment themes through HTTP: defining, renaming, merging and deleting themes, the 400s that name the theme,
// comments tagged as they arrive and again when themes change, candidates, the admin page and the dashboard.

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };
const clock = fixedClock('2026-07-01T12:00:00Z');
let s: TestServer;
let contact = 1;

const api = (method: string, path: string, body?: unknown) =>
  fetch(`${s.url}${path}`, {
    method,
    headers: { ...ADMIN, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const comment = (text: string, score: number, language: string, day: string) =>
  aResponse(s.deps.db, {
    portalId: TEST_PORTAL_ID,
    contactId: contact++,
    score,
    comment: text,
    language,
    answeredAt: new Date(`${day}T10:00:00Z`),
  });

interface ThemeShare {
  comments: number;
  of: number;
  percent: number | null;
}
interface Report {
  themes: Array<{ name: string; byCategory: Record<string, ThemeShare>; examples: Array<{ comment: string }> }>;
}

async function report(): Promise<Report> {
  const res = await api('GET', '/api/themes/report?from=2026-06-01&to=2026-06-30&granularity=week');
  expect(res.status).toBe(200);
  return res.json();
}
const shareOf = (r: Report, name: string, category: string) =>
  r.themes.find((t) => t.name === name)?.byCategory[category];

beforeAll(async () => {
  s = await startTestServer({ RUN_WORKERS: 'false' }, { clock });
  await aPortal(s.deps.db, { portalId: TEST_PORTAL_ID });
  await comment('Support takes days to answer', 2, 'en', '2026-06-03');
  await comment('Supporten svarer aldrig', 3, 'da', '2026-06-04');
  await comment('Der Preis ist zu hoch', 4, 'de', '2026-06-05');
  await comment('Priset är bra', 9, 'sv', '2026-06-06');
  await comment('Lovely tool <script>alert(1)</script> and great support', 10, 'en', '2026-06-07');
});
afterAll(() => s.close());

describe('defining themes', () => {
  it('creates a theme and tags the existing comments with it', async () => {
    const res = await api('POST', '/api/themes', {
      name: 'Support',
      keywords: { en: ['support'], da: ['support', 'kundeservice'], sv: [], de: ['Support'] },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      name: 'Support',
      keywords: { en: ['support'], da: ['support', 'kundeservice'] },
    });
    const r = await report();
    expect(shareOf(r, 'Support', 'detractor')).toEqual({ comments: 2, of: 3, percent: 66.7 });
    expect(shareOf(r, 'Support', 'promoter')).toEqual({ comments: 1, of: 2, percent: 50 });
  });

  it('refuses a duplicate name (any case) with a 400 that names it', async () => {
    const res = await api('POST', '/api/themes', { name: 'support', keywords: { en: ['help'] } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('a theme named "support" already exists');
  });

  it('refuses a theme without keywords with a 400 that names it', async () => {
    const res = await api('POST', '/api/themes', { name: 'Price', keywords: { en: [' '], da: [] } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain(
      'invalid theme "Price": keywords: a theme needs at least one keyword',
    );
  });

  it('refuses bad input with a 400 naming the field, never a 500', async () => {
    const bad = [
      [{ keywords: { en: ['x'] } }, 'name'],
      [{ name: 'X', keywords: { fr: ['prix'] } }, 'keywords'],
      [{ name: 'Nul\u0000', keywords: { en: ['x'] } }, 'name'],
      [{ name: 'X', keywords: { en: ['...'] } }, '"..." has no words'],
      [{ name: 42, keywords: null }, 'name'],
      [[], 'expected object'],
      [{ name: 'X', keywords: { en: 'support' } }, 'keywords.en'],
    ] as const;
    for (const [body, field] of bad) {
      const res = await api('POST', '/api/themes', body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain(field);
    }
  });

  it('names bad ids, merges and queries with a 400', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['PATCH', '/api/themes/not-a-uuid', { name: 'X' }, 'id: not a theme id'],
      ['DELETE', '/api/themes/123', undefined, 'id: not a theme id'],
      ['POST', '/api/themes/merge', { into: 'x', from: 'y' }, 'into: not a theme id'],
      ['GET', '/api/themes/candidates?from=2026-01-01&from=2026-02-01', undefined, 'from'],
      ['GET', '/api/themes/report?granularity=day', undefined, 'granularity'],
      ['POST', '/api/themes/candidates/accept', { phrase: 'x', language: 'fr' }, 'language'],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await api(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect((await res.json()).error.message).toContain(message);
    }
    const missing = await api('PATCH', '/api/themes/00000000-0000-4000-8000-000000000000', { name: 'X' });
    expect(missing.status).toBe(404);
  });

  it('tags a new answer once it is stored', async () => {
    await api('POST', '/api/themes', { name: 'Price', keywords: { en: ['price'], de: ['Preis'], sv: ['pris'] } });
    expect(shareOf(await report(), 'Price', 'detractor')).toMatchObject({ comments: 1 });
    await comment('Die Preiserhöhung war zu viel', 1, 'de', '2026-06-10');
    // Logged for tagging in the answer's own transaction, so a stop before tagging loses nothing.
    const pending = await s.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM theme_pending');
    expect(Number(pending.rows[0]!.n)).toBe(1);
    const r = await report();
    expect(shareOf(r, 'Price', 'detractor')).toEqual({ comments: 2, of: 4, percent: 50 });
    expect(r.themes.find((t) => t.name === 'Price')?.examples[0]?.comment).toBe('Die Preiserhöhung war zu viel');
  });
});

describe('changing themes', () => {
  const idOf = async (name: string): Promise<string> =>
    ((await (await api('GET', '/api/themes')).json()).themes as Array<{ id: string; name: string }>).find(
      (t) => t.name === name,
    )!.id;

  it('renames a theme, and re-tags comments when its keywords change', async () => {
    const id = await idOf('Price');
    expect((await api('PATCH', `/api/themes/${id}`, { name: 'Pricing' })).status).toBe(200);
    const res = await api('PATCH', `/api/themes/${id}`, { keywords: { de: ['Preis'] } });
    expect(res.status).toBe(200);
    const r = await report();
    expect(shareOf(r, 'Pricing', 'detractor')).toMatchObject({ comments: 2 });
    expect(shareOf(r, 'Pricing', 'promoter')).toMatchObject({ comments: 0 });
    expect(shareOf(r, 'Price', 'detractor')).toBeUndefined();
  });

  it('refuses renaming to a name in use', async () => {
    const res = await api('PATCH', `/api/themes/${await idOf('Pricing')}`, { name: 'SUPPORT' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('a theme named "SUPPORT" already exists');
  });

  it('merges themes: keywords join, the merged theme goes, comments are tagged again', async () => {
    const into = await idOf('Support');
    const from = await idOf('Pricing');
    const res = await api('POST', '/api/themes/merge', { into, from: [from] });
    expect(res.status).toBe(200);
    expect((await res.json()).keywords.de).toEqual(['Support', 'Preis']);
    const r = await report();
    expect(r.themes.map((t) => t.name)).toEqual(['Support']);
    expect(shareOf(r, 'Support', 'detractor')).toEqual({ comments: 4, of: 4, percent: 100 });
  });

  it('deletes a theme, then 404s', async () => {
    const id = await idOf('Support');
    expect((await api('DELETE', `/api/themes/${id}`)).status).toBe(204);
    expect((await api('DELETE', `/api/themes/${id}`)).status).toBe(404);
    expect((await report()).themes).toEqual([]);
  });
});

describe('candidates', () => {
  it('finds the phrase that dominates a period among detractors, with counts in and out', async () => {
    const detractor = [
      'Support response time is far too slow',
      'The support response time has become terrible',
      'Support response times are getting worse every month',
      'Slow support response time, we waited a week',
      'Too expensive for what it does',
    ];
    for (const [i, text] of detractor.entries()) await comment(text, i % 4, 'en', '2026-06-2' + (i + 1));
    for (const text of ['Great support', 'Reports are useful', 'Easy to use', 'Fair price', 'Support was fine'])
      await comment(text, 9, 'en', '2026-06-15');
    const res = await api('GET', '/api/themes/candidates?from=2026-06-20&to=2026-06-30&category=detractor');
    expect(res.status).toBe(200);
    const body = await res.json();
    const top = (body.candidates as Array<{ phrase: string; countIn: number; countOut: number }>).slice(0, 3);
    expect(top.map((c) => c.phrase)).toContain('support response time');
    expect(top.find((c) => c.phrase === 'support response time')).toMatchObject({
      countIn: 4,
      totalIn: 5,
      countOut: 0,
    });
    expect(body.scoring).toContain('log-odds');
  });

  it('accepts a candidate as a theme', async () => {
    const res = await api('POST', '/api/themes/candidates/accept', { phrase: 'support response time', language: 'en' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      name: 'support response time',
      keywords: { en: ['support response time'] },
    });
    expect(shareOf(await report(), 'support response time', 'detractor')).toMatchObject({ comments: 4 });
  });

  it('names a bad query field', async () => {
    const res = await api('GET', '/api/themes/candidates?category=fans');
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('category');
  });
});

describe('pages', () => {
  it('the admin page lists themes and candidates; its forms need the CSRF token and show 400s', async () => {
    const b = new Browser(s.url);
    const csrf = await b.signIn('test-admin-token-0123456789');
    const page = await b.fetch('/dashboard/themes?from=2026-06-20&to=2026-06-30&category=detractor');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h1>Comment themes</h1>');
    expect(html).toContain('support response time');
    expect((await b.form('/dashboard/themes', { name: 'Onboarding', keywords_en: 'onboarding, setup' })).status).toBe(
      403,
    );
    const added = await b.form('/dashboard/themes', {
      _csrf: csrf,
      name: 'Onboarding',
      keywords_en: 'onboarding, setup',
    });
    expect(added.status).toBe(303);
    const dup = await b.form('/dashboard/themes', { _csrf: csrf, name: 'onboarding', keywords_da: 'opstart' });
    expect(dup.status).toBe(400);
    expect(await dup.text()).toContain('a theme named &quot;onboarding&quot; already exists');
    const list = await (await api('GET', '/api/themes')).json();
    expect(list.themes.find((t: { name: string }) => t.name === 'Onboarding').keywords).toEqual({
      en: ['onboarding', 'setup'],
    });
  });

  it('the dashboard shows themes × category and escaped example comments', async () => {
    await api('POST', '/api/themes', { name: 'Praise', keywords: { en: ['great support'] } });
    const b = new Browser(s.url);
    await b.signIn('test-admin-token-0123456789');
    const res = await b.fetch('/dashboard?from=2026-06-01&to=2026-06-30');
    expect(res.status).toBe(200);
    const html = await res.text();
    const section = html.slice(html.indexOf('id="themes"'));
    expect(section).toContain('<th scope="row">support response time</th>');
    expect(section).toContain('44.4% <span class="sub">(4 of 9)</span>');
    expect(section).toContain('Lovely tool &lt;script&gt;alert(1)&lt;/script&gt; and great support');
    expect(section).not.toContain('<script>alert(1)');
  });

  it('the settings workspace gets a section that links to the themes page', () => {
    expect(themesFeature.settingsSections).toEqual([
      expect.objectContaining({ id: 'themes', title: 'Comment themes', href: '/dashboard/themes' }),
    ]);
  });
});
