import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useNockedServer } from '../helpers/nocked-server';
import type { TestServer } from '../helpers/server';
import { signedFetch } from '../helpers/signed';
import { TEST_PORTAL_ID } from '../helpers/env';
import { fixedClock } from '../../src/shared/clock';
import {
  cardOutcomeSchema,
  contactCardSchema,
  logResponseResultSchema,
  sendSurveyResultSchema,
} from '../../extensions/app/cards/contract';
import { seedContact, seedInvitation, seedPortal } from '../card/seed';

// The card's two actions through HTTP: "Send survey now" and "Log a response". HubSpot retries a hubspot.fetch
// once on a 5xx, so a repeated request must change nothing. Refusals the card shows (pending, quiet period,
// opted out, unknown record, invalid body) answer 200 `{ outcome, message }`: HubSpot's proxy hides 4xx bodies.

const OTHER_PORTAL = 2002;
const clock = fixedClock('2026-06-01T12:00:00Z');
const qs = (portalId = TEST_PORTAL_ID) => `?portalId=${portalId}&userId=11&userEmail=ada%40example.com&appId=77`;
const post = (s: TestServer, path: string, body: unknown, portalId?: number) =>
  signedFetch(s.url, `${path}${qs(portalId)}`, { body, timestamp: clock.now().getTime() });
const rawPost = (s: TestServer, path: string, rawBody: string) =>
  signedFetch(s.url, `${path}${qs()}`, { rawBody, method: 'POST', timestamp: clock.now().getTime() });
/** A 200 business outcome, parsed with the shared contract. */
const outcomeOf = async (res: Response) => {
  expect(res.status).toBe(200);
  return cardOutcomeSchema.parse(await res.json());
};
const count = async (s: TestServer, sql: string, params: unknown[]) =>
  Number((await s.deps.db.query<{ n: string }>(sql, params)).rows[0]!.n);
const invitationsOf = (s: TestServer, portalId: number, contactId: number) =>
  count(s, 'SELECT count(*) AS n FROM invitations WHERE portal_id = $1 AND contact_id = $2', [portalId, contactId]);

/** The card's data in the portal under test, plus a second portal that must never see it. */
async function seed({ deps: { db } }: TestServer): Promise<void> {
  await seedPortal(db, OTHER_PORTAL);
  await seedContact(db, TEST_PORTAL_ID, { contactId: '801' });
  await seedContact(db, TEST_PORTAL_ID, { contactId: '802' });
  await seedContact(db, TEST_PORTAL_ID, { contactId: '803', optedOut: true });
  await seedContact(db, TEST_PORTAL_ID, { contactId: '804', email: null });
  await seedContact(db, TEST_PORTAL_ID, { contactId: '805' });
  await seedInvitation(db, TEST_PORTAL_ID, '802', {
    key: 'deal:1:won:contact:802',
    status: 'answered',
    scheduledFor: new Date('2026-05-01T09:00:00Z'),
    sentAt: new Date('2026-05-01T09:00:00Z'),
  });
  // The card reads tasks and owners for contacts with follow-ups; these have none, but owners may be asked for.
  nock('https://api.hubapi.com').get('/crm/v3/owners').query(true).reply(200, { results: [] }).persist();
}

const s = useNockedServer({ env: { RUN_WORKERS: 'false' }, start: { clock }, seed });

describe('POST /api/card/contacts/:contactId/surveys', () => {
  it('schedules a survey now, and a retry of the same request schedules nothing more', async () => {
    const first = await post(s(), '/api/card/contacts/801/surveys', { requestKey: 'click-0001' });
    expect(first.status).toBe(202);
    const scheduled = sendSurveyResultSchema.parse(await first.json());
    expect(scheduled).toMatchObject({ status: 'scheduled', scheduledFor: '2026-06-01T12:00:00.000Z' });

    const retry = await post(s(), '/api/card/contacts/801/surveys', { requestKey: 'click-0001' });
    expect(retry.status).toBe(200);
    expect(sendSurveyResultSchema.parse(await retry.json())).toEqual({ ...scheduled, status: 'duplicate' });
    expect(
      await count(s(), 'SELECT count(*) AS n FROM invitations WHERE portal_id = $1 AND contact_id = $2', [
        TEST_PORTAL_ID,
        801,
      ]),
    ).toBe(1);

    const card = contactCardSchema.parse(
      await (await signedFetch(s().url, `/api/card/contacts/801${qs()}`, { timestamp: clock.now().getTime() })).json(),
    );
    expect(card.surveyStatus.state).toBe('pending');
    expect(card.canSend).toMatchObject({ allowed: false, code: 'pending' });
  });

  it('refuses a second survey while one is pending', async () => {
    const res = await post(s(), '/api/card/contacts/801/surveys', { requestKey: 'click-0002', confirm: true });
    expect(await outcomeOf(res)).toMatchObject({
      outcome: 'survey_pending',
      message: expect.stringContaining('already scheduled'),
    });
    expect(await invitationsOf(s(), TEST_PORTAL_ID, 801)).toBe(1);
  });

  it('asks for confirmation inside the quiet period, and sends once confirmed', async () => {
    const ask = await post(s(), '/api/card/contacts/802/surveys', { requestKey: 'click-0003' });
    expect(await outcomeOf(ask)).toMatchObject({
      outcome: 'needs_confirmation',
      message: expect.stringContaining('quiet period until 2026-07-30'),
      quietUntil: '2026-07-30T09:00:00.000Z',
    });
    expect(await invitationsOf(s(), TEST_PORTAL_ID, 802)).toBe(1);

    const confirmed = await post(s(), '/api/card/contacts/802/surveys', { requestKey: 'click-0004', confirm: true });
    expect(confirmed.status).toBe(202);
    const r = await s().deps.db.query<{ status: string; trigger: string; milestone_key: string }>(
      `SELECT status, trigger, milestone_key FROM invitations WHERE portal_id = $1 AND contact_id = $2 AND trigger = 'manual'`,
      [TEST_PORTAL_ID, 802],
    );
    expect(r.rows).toEqual([{ status: 'scheduled', trigger: 'manual', milestone_key: 'manual:802:click-0004' }]);
  });

  it('refuses with the reason for opted-out contacts and contacts without email, and schedules nothing', async () => {
    const optedOut = await post(s(), '/api/card/contacts/803/surveys', { confirm: true });
    expect((await outcomeOf(optedOut)).outcome).toBe('opted_out');
    const noEmail = await post(s(), '/api/card/contacts/804/surveys', {});
    expect(await outcomeOf(noEmail)).toMatchObject({
      outcome: 'no_email',
      message: expect.stringContaining('no email address'),
    });
    expect(
      await count(s(), 'SELECT count(*) AS n FROM invitations WHERE portal_id = $1 AND contact_id IN (803, 804)', [
        TEST_PORTAL_ID,
      ]),
    ).toBe(0);
  });

  it('answers not_found for a contact of another portal and invalid_input for a bad body', async () => {
    const foreign = await post(s(), '/api/card/contacts/801/surveys', {}, OTHER_PORTAL);
    expect(await outcomeOf(foreign)).toEqual({ outcome: 'not_found', message: 'contact 801 not found' });
    expect(await count(s(), 'SELECT count(*) AS n FROM invitations WHERE portal_id = $1', [OTHER_PORTAL])).toBe(0);
    const bad = await post(s(), '/api/card/contacts/801/surveys', { confirm: 'yes' });
    const invalid = await outcomeOf(bad);
    expect(invalid.outcome).toBe('invalid_input');
    expect(invalid.message).toContain('confirm');
    expect(await invitationsOf(s(), TEST_PORTAL_ID, 801)).toBe(1);
  });
});

describe('POST /api/card/contacts/:contactId/responses', () => {
  it('records a phone answer once, however often the request is repeated', async () => {
    const body = { score: 4, comment: 'Onboarding was confusing', requestKey: 'log-click-0001' };
    const first = await post(s(), '/api/card/contacts/805/responses', body);
    expect(first.status).toBe(201);
    const created = logResponseResultSchema.parse(await first.json());
    expect(created).toMatchObject({ category: 'detractor', created: true });
    const retry = await post(s(), '/api/card/contacts/805/responses', body);
    expect(retry.status).toBe(200);
    expect(logResponseResultSchema.parse(await retry.json())).toEqual({ ...created, created: false });

    const rows = await s().deps.db.query<{ score: number; comment: string; channel: string; trigger: string }>(
      'SELECT score, comment, channel, trigger FROM responses WHERE portal_id = $1 AND contact_id = $2',
      [TEST_PORTAL_ID, 805],
    );
    expect(rows.rows).toEqual([
      { score: 4, comment: 'Onboarding was confusing', channel: 'manual', trigger: 'manual' },
    ]);
    expect(
      await count(
        s(),
        `SELECT count(*) AS n FROM outbox WHERE portal_id = $1 AND kind = 'contact-properties' AND item_key = '805'`,
        [TEST_PORTAL_ID],
      ),
    ).toBe(1);
  });

  it('treats the same answer without a request key, within a minute, as one answer', async () => {
    const a = await post(s(), '/api/card/contacts/801/responses', { score: 10 });
    const b = await post(s(), '/api/card/contacts/801/responses', { score: 10 });
    expect([a.status, b.status]).toEqual([201, 200]);
    expect(
      await count(s(), 'SELECT count(*) AS n FROM responses WHERE portal_id = $1 AND contact_id = $2', [
        TEST_PORTAL_ID,
        801,
      ]),
    ).toBe(1);
  });

  it.each([
    ['a score of 11', { score: 11 }, 'score'],
    ['a fractional score', { score: 7.5 }, 'score'],
    ['no score', { comment: 'hello' }, 'score'],
    ['a 6,000-character comment', { score: 8, comment: 'x'.repeat(6000) }, 'comment'],
    ['a malformed request key', { score: 8, requestKey: 'a b' }, 'requestKey'],
  ])('rejects %s with invalid_input naming the field, and records nothing', async (_name, body, field) => {
    const answers = () =>
      count(s(), 'SELECT count(*) AS n FROM responses WHERE portal_id = $1 AND contact_id = $2', [TEST_PORTAL_ID, 805]);
    const before = await answers();
    const res = await post(s(), '/api/card/contacts/805/responses', body);
    const refusal = await outcomeOf(res);
    expect(refusal.outcome).toBe('invalid_input');
    expect(refusal.message).toContain(`${field}:`);
    expect(await answers()).toBe(before);
  });

  it('rejects a body that is not JSON with a 400', async () => {
    const res = await rawPost(s(), '/api/card/contacts/805/responses', '{"score": 9');
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_json');
  });

  it('records nothing for a contact of another portal', async () => {
    const res = await post(s(), '/api/card/contacts/805/responses', { score: 9 }, OTHER_PORTAL);
    expect(await outcomeOf(res)).toEqual({ outcome: 'not_found', message: 'contact 805 not found' });
    expect(await count(s(), 'SELECT count(*) AS n FROM responses WHERE portal_id = $1', [OTHER_PORTAL])).toBe(0);
  });
});
