import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { PERIOD, answersIn, expectedNps, useInsightsServer } from './insights-fixture';

// The JSON API behind the dashboard, through HTTP: the filters it accepts, the 400s that name what is wrong,
// and the numbers it returns for the fixture portal.

const clock = fixedClock('2026-07-01T12:00:00Z');
const s = useInsightsServer(clock);
const get = (path: string) =>
  fetch(`${s().url}${path}`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });

describe('bad filters get a 400 that names the problem', () => {
  it.each([
    ['/api/insights/headline?foo=1', 'unknown filter "foo"'],
    ['/api/insights/headline?granularity=week', 'unknown filter "granularity"'],
    ['/api/insights/headline?from=2026-02-30', 'from: is not a calendar date'],
    ['/api/insights/headline?from=yesterday', 'from: use an ISO date such as 2026-03-31'],
    ['/api/insights/headline?from=2026-07-01&to=2026-06-01', 'from (2026-07-01) is after to (2026-06-01)'],
    ['/api/insights/trend?from=2015-01-01&to=2026-06-01', 'longer than 5 years'],
    ['/api/insights/trend?from=1999-12-31', 'from: must lie between 2000-01-01 and 2100-12-31'],
    ['/api/insights/trend?granularity=day', 'granularity: use week, month or quarter'],
    ['/api/insights/headline?mode=everyone', 'mode: use all or latest'],
    ['/api/insights/segments?segment=shoe_size', 'segment: unknown segment "shoe_size"'],
    ['/api/insights/segments?limit=0', 'limit: at least 1'],
    ['/api/insights/comments?segment=owner', 'segment: unknown segment "owner"; use <segment>:<value>'],
    ['/api/insights/comments?segment=company:acme', 'company:<id> needs a numeric HubSpot company id'],
    ['/api/insights/comments?category=fans', 'category: use promoter, passive or detractor'],
    ['/api/insights/comments?limit=100000', 'limit: a whole number'],
    ['/api/insights/comments?from=2026-01-01&from=2026-02-01', 'from: Invalid input: expected string'],
    ['/api/insights/export.csv?limit=5', 'unknown filter "limit"'],
  ])('%s → %s', async (path, message) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.message).toContain(message);
  });
});

describe('answers', () => {
  it('headline with an explicit period', async () => {
    const res = await get(`/api/insights/headline?from=${PERIOD.from}&to=${PERIOD.to}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    const e = expectedNps(answersIn(PERIOD).map((a) => a.score));
    expect(body).toMatchObject({
      period: { ...PERIOD, days: 30 },
      mode: 'all',
      n: e.n,
      nps: e.nps,
      marginOfError: e.marginOfError,
      target: 50,
      minAnswers: 30,
      tooFew: true,
    });
    expect(body.change).toEqual({
      difference: expect.any(Number),
      marginOfError: expect.any(Number),
      significant: expect.any(Boolean),
      direction: expect.stringMatching(/^(up|down|flat)$/),
    });
  });

  it('defaults to the 90 days up to today (by the server clock)', async () => {
    const body = await (await get('/api/insights/headline')).json();
    expect(body.period).toEqual({ from: '2026-04-03', to: '2026-07-01', days: 90 });
  });

  it('trend, distribution, segments, heroes and comments answer with their documented shapes', async () => {
    const q = `from=${PERIOD.from}&to=${PERIOD.to}`;
    const trend = await (await get(`/api/insights/trend?${q}&granularity=week&mode=latest`)).json();
    expect(trend.points).toHaveLength(5);
    expect(trend.points[0]).toMatchObject({
      bucket: '2026-06-01',
      from: '2026-06-01',
      to: '2026-06-07',
      shares: { promoters: expect.anything() },
    });
    const dist = await (await get(`/api/insights/distribution?${q}`)).json();
    expect(dist.histogram).toHaveLength(11);
    expect(dist.responseRate.overall).toMatchObject({ sent: 3, answered: 2 });
    const segs = await (await get(`/api/insights/segments?${q}&segment=industry`)).json();
    expect(segs.segments.map((x: { name: string }) => x.name)).toEqual(['industry']);
    expect(segs.segments[0].values[0]).toMatchObject({
      value: 'Retail',
      label: 'Retail',
      n: 4,
      vsRest: { significant: expect.any(Boolean) },
    });
    const heroes = await (await get(`/api/insights/heroes?${q}&limit=1`)).json();
    expect(heroes).toMatchObject({ heroes: [{ ownerId: '11', label: 'Ines Ito' }], ownersTotal: 2 });
    const comments = await (await get(`/api/insights/comments?${q}&category=detractor&q=slow`)).json();
    expect(comments.comments.map((c: { comment: string }) => c.comment)).toEqual(['Slow_reply']);
  });
});
