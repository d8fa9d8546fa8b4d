import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { aContact, aResponse } from '../factories';
import { Browser } from './dashboard-http';
import { PERIOD, PORTAL, answersIn, expectedNps, useInsightsServer } from './insights-fixture';

// The industry benchmark on the dashboard and in the headline API, and who the office TV celebrates, through HTTP
// on the fixture portal. The TV's 90 days (2026-04-03 … 2026-07-01) hold every fixture answer: owner 11 has
// 4 promoters and 3 detractors in 8 answers (NPS 12.5), owner 22 one promoter and 2 detractors in 4 (NPS −25),
// the portal 5 and 5 in 12 (NPS 0).

const ADMIN = 'test-admin-token-0123456789';
const clock = fixedClock('2026-07-01T12:00:00Z');
const s = useInsightsServer(clock);
const period = `from=${PERIOD.from}&to=${PERIOD.to}`;

async function admin(): Promise<Browser> {
  const b = new Browser(s().url);
  await b.signIn(ADMIN);
  return b;
}

async function putSettings(b: Browser, settings: unknown): Promise<Response> {
  return b.fetch('/api/settings', {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
}

describe('industry benchmark', () => {
  it('without an industry: a hint with the settings link for admins, and an empty API block', async () => {
    const b = await admin();
    const html = await (await b.fetch(`/dashboard?${period}`)).text();
    expect(html).toContain('No industry chosen');
    expect(html).toContain('href="/dashboard/settings/benchmark"');
    const head = await (await b.fetch(`/api/insights/headline?${period}`)).json();
    expect(head.benchmark).toEqual({
      industry: null,
      benchmark: null,
      difference: null,
      marginOfError: head.marginOfError,
      withinMargin: null,
      verdict: null,
    });
  });

  it('refuses an industry that is not in the list, naming the field', async () => {
    const res = await putSettings(await admin(), { insights: { benchmarkIndustry: 'crypto' } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('insights.benchmarkIndustry');
  });

  it('with an industry: the NPS beside the cited outside figure, in the page (escaped) and the API', async () => {
    const b = await admin();
    expect((await putSettings(b, { insights: { minAnswers: 3, benchmarkIndustry: 'accounting' } })).status).toBe(200);
    const e = expectedNps(answersIn(PERIOD).map((a) => a.score));
    const difference = Math.round((e.nps! - 39) * 10) / 10;
    const within = Math.abs(difference) <= e.marginOfError!;

    const head = await (await b.fetch(`/api/insights/headline?${period}`)).json();
    expect(head.benchmark).toMatchObject({
      industry: 'accounting',
      benchmark: { nps: 39, year: 2022, source: { url: 'https://blandcpa.com/industries/net-promoter-score/' } },
      difference,
      marginOfError: e.marginOfError,
      withinMargin: within,
      verdict: within ? 'within-noise' : difference > 0 ? 'above' : 'below',
    });

    const html = await (await b.fetch(`/dashboard?${period}`)).text();
    expect(html).toContain('Accounting firms benchmark');
    expect(html).toContain('outside figure');
    expect(html).toContain('href="https://blandcpa.com/industries/net-promoter-score/"');
    expect(html).toContain('Bland &amp; Associates');
    expect(html).not.toContain('Bland & Associates');
    expect(html).toContain(within ? 'within your margin of error' : 'more than your margin of error');
    expect(html).not.toContain('No industry chosen');
  });
});

describe('the office TV', () => {
  it('celebrates only owners with promoters at or above the company NPS; the dashboard keeps everyone', async () => {
    const b = await admin();
    const tv = await (await b.fetch('/api/insights/tv')).json();
    expect(tv.heroesBar).toBe(0);
    expect(tv.heroes).toEqual([expect.objectContaining({ label: 'Ines Ito', nps: 12.5, promoters: 4, n: 8 })]);
    expect(tv.promoterQuotes).toEqual([]);
    const all = await (await b.fetch('/api/insights/heroes?from=2026-04-03&to=2026-07-01')).json();
    expect(all.heroes.map((h: { label: string }) => h.label).sort()).toEqual(['Ines Ito', 'Omar Oduya']);
    const page = await (await b.fetch('/dashboard/tv')).text();
    expect(page).toContain('id="tv-heroes-rule"');
    expect(page).not.toContain('Omar Oduya');
  });

  it('shows promoter quotes, first names only and escaped, when no owner qualifies', async () => {
    // Promoters with no owner lift the company NPS to 33.3, above owner 11's 12.5: nobody qualifies.
    const db = s().deps.db;
    await aContact(db, PORTAL, { contactId: 9, firstname: 'Zed', lastname: 'Zorro', ownerId: null });
    for (let i = 0; i < 6; i++) {
      await aResponse(db, {
        portalId: PORTAL,
        contactId: 9,
        score: 10,
        comment: i === 0 ? '<script>alert(1)</script> best support' : `great ${i}`,
        ownerId: null,
        answeredAt: new Date(`2026-04-1${i}T10:00:00Z`),
      });
    }
    const b = await admin();
    const tv = await (await b.fetch('/api/insights/tv')).json();
    expect(tv.heroesBar).toBeCloseTo(33.3, 1);
    expect(tv.heroes).toEqual([]);
    // The comments panel already shows the three newest of the last 30 days; the quotes are the next ones.
    expect(tv.promoterComments).toHaveLength(3);
    expect(tv.promoterQuotes).toEqual([
      { comment: 'great 5', who: 'Zed', answeredAt: '2026-04-15T10:00:00.000Z' },
      { comment: 'great 4', who: 'Zed', answeredAt: '2026-04-14T10:00:00.000Z' },
      { comment: 'great 3', who: 'Zed', answeredAt: '2026-04-13T10:00:00.000Z' },
      { comment: 'great 2', who: 'Zed', answeredAt: '2026-04-12T10:00:00.000Z' },
    ]);
    expect(JSON.stringify(tv)).not.toContain('Zorro');
    const page = await (await b.fetch('/dashboard/tv')).text();
    expect(page).not.toContain('Zorro');
    expect(page).not.toContain('<script>alert');
  });
});
