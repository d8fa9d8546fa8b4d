import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { aContact, anInvitation, aResponse } from '../factories';
import { TEST_PORTAL_ID } from '../helpers/env';
import { useNockedServer } from '../helpers/nocked-server';
import type { TestServer } from '../helpers/server';
import { excludeAnswer, includeAnswer } from '../../src/exclusions/exclusions.repo';
import { Browser } from './dashboard-http';
import { nockOwners } from './insights-fixture';

// Insights per channel through HTTP: the JSON API and the dashboard's channels section, for a portal whose
// invitations and answers per channel are known. Response rate = answered ÷ sent invitations of the channel sent
// in the period; answers = answers given in the period through the channel.

const ADMIN = 'test-admin-token-0123456789';
const clock = fixedClock('2026-07-01T12:00:00Z');
const PERIOD = 'from=2026-06-01&to=2026-06-30';
const at = (day: string) => new Date(`${day}T10:00:00Z`);

type Channel = 'email' | 'sms' | 'web';
type AnswerChannel = Channel | 'manual' | 'page';
let nextContact = 7_000;
let smsAnswerId = '';

/** One invitation sent on `sent` over `channel`, answered with `score` on `answered` (answer's channel as given). */
async function survey(
  s: TestServer,
  channel: Channel,
  sent: string,
  answer?: { score: number; day: string; channel?: AnswerChannel },
) {
  const contactId = nextContact++;
  await aContact(s.deps.db, TEST_PORTAL_ID, { contactId, email: `c${contactId}@example.com` });
  const inv = await anInvitation(s.deps.db, {
    portalId: TEST_PORTAL_ID,
    contactId,
    channel,
    status: answer ? 'answered' : 'sent',
    scheduledFor: at(sent),
    sentAt: at(sent),
    answeredAt: answer ? at(answer.day) : null,
  });
  if (answer)
    return aResponse(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      contactId,
      invitationId: inv.id,
      score: answer.score,
      channel: answer.channel ?? channel,
      answeredAt: at(answer.day),
    });
}

async function seed(s: TestServer) {
  // Email: 4 sent in June, 2 answered (a promoter and a detractor).
  await survey(s, 'email', '2026-06-02', { score: 10, day: '2026-06-03' });
  await survey(s, 'email', '2026-06-05', { score: 3, day: '2026-06-06' });
  await survey(s, 'email', '2026-06-10');
  await survey(s, 'email', '2026-06-11');
  // SMS: 2 sent, 1 answered by a promoter; one more skipped (never sent, not counted).
  smsAnswerId = (await survey(s, 'sms', '2026-06-04', { score: 9, day: '2026-06-04' }))!.id;
  await survey(s, 'sms', '2026-06-20');
  const skipped = nextContact++;
  await aContact(s.deps.db, TEST_PORTAL_ID, { contactId: skipped, email: `c${skipped}@example.com` });
  await anInvitation(s.deps.db, {
    portalId: TEST_PORTAL_ID,
    contactId: skipped,
    channel: 'sms',
    status: 'skipped',
    skipReason: 'no_phone',
    scheduledFor: at('2026-06-07'),
  });
  // Web: 1 shown, answered by a detractor.
  await survey(s, 'web', '2026-06-15', { score: 6, day: '2026-06-16' });
  // An answer logged by hand (no invitation), a passive.
  const manual = nextContact++;
  await aContact(s.deps.db, TEST_PORTAL_ID, { contactId: manual, email: `c${manual}@example.com` });
  await aResponse(s.deps.db, {
    portalId: TEST_PORTAL_ID,
    contactId: manual,
    score: 8,
    channel: 'manual',
    trigger: 'manual',
    answeredAt: at('2026-06-18'),
  });
  // Outside the period: an email sent and answered in May, and a June email answered in July (counts as answered
  // for June's response rate, but not as an answer in June).
  await survey(s, 'email', '2026-05-10', { score: 10, day: '2026-05-11' });
  await survey(s, 'email', '2026-06-28', { score: 10, day: '2026-07-01' });
}

const s = useNockedServer({ env: { RUN_WORKERS: 'false' }, start: { clock }, before: () => nockOwners(), seed });
const get = (path: string) => fetch(`${s().url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });

describe('insights per channel', () => {
  it('gives each channel its response rate and answers in the period', async () => {
    const res = await get(`/api/insights/channels?${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body.period).toMatchObject({ from: '2026-06-01', to: '2026-06-30' });
    expect(body.channels).toEqual([
      {
        channel: 'email',
        label: 'Email',
        sent: 5,
        answered: 3,
        responseRate: 60,
        answers: 2,
        promoters: 1,
        passives: 0,
        detractors: 1,
        nps: 0,
      },
      {
        channel: 'sms',
        label: 'Text message (SMS)',
        sent: 2,
        answered: 1,
        responseRate: 50,
        answers: 1,
        promoters: 1,
        passives: 0,
        detractors: 0,
        nps: 100,
      },
      {
        channel: 'web',
        label: 'In-app web survey',
        sent: 1,
        answered: 1,
        responseRate: 100,
        answers: 1,
        promoters: 0,
        passives: 0,
        detractors: 1,
        nps: -100,
      },
      {
        channel: 'manual',
        label: 'Logged by hand',
        sent: 0,
        answered: 0,
        responseRate: null,
        answers: 1,
        promoters: 0,
        passives: 1,
        detractors: 0,
        nps: 0,
      },
    ]);
  });

  it('honours the period filter', async () => {
    const body = await (await get('/api/insights/channels?from=2026-05-01&to=2026-05-31')).json();
    expect(body.channels).toEqual([
      expect.objectContaining({ channel: 'email', sent: 1, answered: 1, responseRate: 100, answers: 1, nps: 100 }),
    ]);
    const july = await (await get('/api/insights/channels?from=2026-07-01&to=2026-07-01')).json();
    expect(july.channels).toEqual([expect.objectContaining({ channel: 'email', sent: 0, answers: 1 })]);
  });

  it('refuses unknown filters with a 400 that names them', async () => {
    const res = await get(`/api/insights/channels?${PERIOD}&mode=latest`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('unknown filter "mode"');
  });

  it('shows the same figures on the dashboard as HTML', async () => {
    const b = new Browser(s().url);
    await b.signIn(ADMIN);
    const html = await (await b.fetch(`/dashboard?${PERIOD}`)).text();
    const section = html.slice(
      html.indexOf('id="channels"'),
      html.indexOf('</section>', html.indexOf('id="channels"')),
    );
    expect(section).toContain('<h2 id="h-channels">Channels</h2>');
    const row = (channel: string) => {
      const start = section.indexOf(`<tr data-channel="${channel}">`);
      return start < 0 ? null : section.slice(start, section.indexOf('</tr>', start));
    };
    expect(row('sms')).toBe(
      '<tr data-channel="sms"><th scope="row">Text message (SMS)</th><td>2</td><td>1</td><td>50%</td><td>1</td><td>100</td>',
    );
    expect(row('web')).toContain('<th scope="row">In-app web survey</th><td>1</td><td>1</td><td>100%</td>');
    expect(row('manual')).toContain('<th scope="row">Logged by hand</th><td>0</td><td>0</td><td>–</td><td>1</td>');
    expect(row('hubspot')).toBeNull();
  });

  it('names sms and web in the CSV export’s channel column', async () => {
    const res = await get(`/api/insights/export.csv?${PERIOD}`);
    expect(res.status).toBe(200);
    const [header, ...lines] = (await res.text()).trim().split(/\r?\n/);
    const column = header!.split(',').indexOf('channel');
    expect(column).toBeGreaterThanOrEqual(0);
    const channels = lines.map((l) => l.split(',')[column]).sort();
    expect(channels).toEqual(['email', 'email', 'manual', 'sms', 'web']);
  });

  it('takes an excluded answer off its channel, and counts it again when included', async () => {
    const who = { portalId: TEST_PORTAL_ID, actor: 'test', reason: 'a test answer', now: clock.now() };
    const sms = async () =>
      ((await (await get(`/api/insights/channels?${PERIOD}`)).json()).channels as Array<Record<string, unknown>>).find(
        (c) => c.channel === 'sms',
      );
    expect(await excludeAnswer(s().deps.db, who, smsAnswerId)).toBe('excluded');
    expect(await sms()).toMatchObject({ answers: 0, promoters: 0, nps: null });
    expect(await includeAnswer(s().deps.db, who, smsAnswerId)).toBe('included');
    expect(await sms()).toMatchObject({ answers: 1, promoters: 1, nps: 100 });
  });
});
