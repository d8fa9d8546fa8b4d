import nock from 'nock';
import { beforeEach, describe, expect, it } from 'vitest';
import { useNockedServer } from '../helpers/nocked-server';
import type { TestServer } from '../helpers/server';
import { signedFetch } from '../helpers/signed';
import { TEST_CLIENT_SECRET, TEST_PORTAL_ID, TEST_PUBLIC_URL } from '../helpers/env';
import { fixedClock } from '../../src/shared/clock';
import { loadFatigueInput } from '../../src/triggers/fatigue.repo';
import { loadContactCardData } from '../../src/card-api/contact-card.repo';
import { signV3 } from '../../src/shared/signature';
import {
  apiErrorSchema,
  cardOutcomeSchema,
  companyCardSchema,
  contactCardSchema,
} from '../../extensions/app/cards/contract';
import {
  OWNERS_PAGE,
  seedAnswer,
  seedCompany,
  seedContact,
  seedFollowUp,
  seedInvitation,
  seedPortal,
  taskBatch,
} from '../card/seed';

// The card API through HTTP, signed as HubSpot signs hubspot.fetch requests (v3 over the public URL with the
// query HubSpot appends). HubSpot's task and owner reads are answered by nock.

const OTHER_PORTAL = 2002;
const clock = fixedClock('2026-06-01T12:00:00Z');
const day = (iso: string) => new Date(`${iso}T10:00:00Z`);
const query = (portalId = TEST_PORTAL_ID) => `portalId=${portalId}&userId=11&userEmail=ada%40example.com&appId=77`;
const get = (s: TestServer, path: string, portalId?: number) =>
  signedFetch(s.url, `${path}?${query(portalId)}`, { timestamp: clock.now().getTime() });

/** The card's data in the portal under test, plus a second portal that must never see it. */
async function seed({ deps: { db } }: TestServer): Promise<void> {
  await seedPortal(db, OTHER_PORTAL);
  await seedCompany(db, TEST_PORTAL_ID, '900', 'Acme');
  await seedContact(db, TEST_PORTAL_ID, {
    contactId: '501',
    firstname: 'Grace',
    lastname: 'Hopper',
    companyId: '900',
    ownerId: '77',
  });
  await seedContact(db, TEST_PORTAL_ID, { contactId: '502', firstname: 'Alan', lastname: 'Turing', companyId: '900' });
  await seedContact(db, TEST_PORTAL_ID, { contactId: '503', optedOut: true });
  await seedContact(db, TEST_PORTAL_ID, { contactId: '504', email: null });
  await seedContact(db, TEST_PORTAL_ID, { contactId: '505' });
  await seedContact(db, OTHER_PORTAL, { contactId: '601' });

  for (let i = 0; i < 11; i++)
    await seedAnswer(db, TEST_PORTAL_ID, '501', {
      score: 5 + (i % 5),
      answeredAt: day(`2025-${String(i + 1).padStart(2, '0')}-15`),
    });
  const latest = await seedAnswer(db, TEST_PORTAL_ID, '501', {
    score: 9,
    comment: 'Great onboarding',
    followUpAnswer: 'The kickoff call',
    answeredAt: day('2026-05-20'),
    source: { type: 'deal', id: '555', stage: 'closedwon' },
  });
  await seedInvitation(db, TEST_PORTAL_ID, '501', {
    key: 'deal:555:closedwon:contact:501',
    status: 'answered',
    scheduledFor: day('2026-05-10'),
    sentAt: day('2026-05-10'),
  });
  await seedFollowUp(db, TEST_PORTAL_ID, '501', latest, {
    taskId: '9001',
    subject: 'Thank Grace',
    ownerId: '77',
    priority: 'LOW',
  });
  const older = await seedAnswer(db, TEST_PORTAL_ID, '502', {
    score: 3,
    comment: 'Slow support',
    answeredAt: day('2026-04-01'),
    source: { type: 'ticket', id: '777' },
  });
  await seedFollowUp(db, TEST_PORTAL_ID, '502', older, { taskId: '9002', subject: 'Call Alan back', ownerId: '78' });
  const other = await seedAnswer(db, TEST_PORTAL_ID, '505', { score: 6, answeredAt: day('2024-01-01') });
  await seedFollowUp(db, TEST_PORTAL_ID, '505', other, { taskId: '9003', subject: 'Done already in HubSpot' });
  await seedAnswer(db, TEST_PORTAL_ID, '504', {
    score: 8,
    comment: 'long '.repeat(1000),
    answeredAt: day('2026-05-05'),
  });
  await seedInvitation(db, TEST_PORTAL_ID, '503', {
    key: 'deal:2:won:contact:503',
    status: 'skipped',
    skipReason: 'opted_out',
    scheduledFor: day('2026-05-01'),
  });
  await seedInvitation(db, TEST_PORTAL_ID, '505', {
    key: 'ticket:3:closed:contact:505',
    status: 'scheduled',
    scheduledFor: day('2026-06-02'),
  });
}

const s = useNockedServer({ env: { RUN_WORKERS: 'false' }, start: { clock }, seed });

beforeEach(() => {
  nock.cleanAll();
  nock('https://api.hubapi.com')
    .post('/crm/v3/objects/tasks/batch/read')
    .reply(200, (_uri, body) => {
      const ids = (body as { inputs: Array<{ id: string }> }).inputs.map((i) => i.id);
      const all = taskBatch([
        { id: '9001', subject: 'Thank Grace (edited in HubSpot)', ownerId: '77', priority: 'LOW' },
        { id: '9002', subject: 'Call Alan back today', ownerId: '78', due: '2026-06-02T09:00:00.000Z' },
        { id: '9003', subject: 'Done already in HubSpot', status: 'COMPLETED' },
      ]);
      return { ...all, results: all.results.filter((t) => ids.includes(t.id)) };
    })
    .persist()
    .get('/crm/v3/owners')
    .query(true)
    .reply(200, OWNERS_PAGE)
    .persist();
});

describe('GET /api/card/contacts/:contactId', () => {
  it('answers a signed request with the contact card, which parses with the shared contract', async () => {
    const res = await get(s(), '/api/card/contacts/501');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const card = contactCardSchema.parse(await res.json());
    expect(card).toMatchObject({
      contactId: '501',
      score: 9,
      category: 'promoter',
      currentAnsweredAt: '2026-05-20T10:00:00.000Z',
      historyTotal: 12,
      // The answer before (2025-11-15) was 5: up 4 points.
      change: { trend: 'improved', previousScore: 5, points: 4, atRisk: false },
    });
    expect(card.history).toHaveLength(12);
    expect(card.history[1]).toMatchObject({ score: 5, followUpAnswer: null });
    expect(card.history[0]).toMatchObject({
      score: 9,
      comment: 'Great onboarding',
      followUpAnswer: 'The kickoff call',
      channel: 'email',
      source: {
        type: 'deal',
        id: '555',
        url: `https://app.hubspot.com/contacts/${TEST_PORTAL_ID}/record/0-3/555`,
        label: 'Deal 555 (closedwon)',
      },
    });
    expect(card.trend.map((p) => p.date)).toEqual([...card.trend.map((p) => p.date)].sort());
    expect(card.surveyStatus).toEqual({
      state: 'quiet_period',
      reason: 'quiet_period',
      quietUntil: '2026-08-08T10:00:00.000Z',
      sentAt: '2026-05-10T10:00:00.000Z',
    });
    expect(card.canSend).toMatchObject({ allowed: true, needsConfirmation: true, code: 'quiet_period' });
    expect(card.openFollowUps).toEqual([
      {
        id: '9001',
        subject: 'Thank Grace (edited in HubSpot)',
        ownerId: '77',
        ownerName: 'Ada Lovelace',
        dueAt: '2026-06-03T09:00:00.000Z',
        priority: 'LOW',
        url: `https://app.hubspot.com/tasks/${TEST_PORTAL_ID}/view/all/task/9001`,
        contactId: '501',
      },
    ]);
  });

  it('hides a follow-up whose task was completed in HubSpot', async () => {
    const card = contactCardSchema.parse(await (await get(s(), '/api/card/contacts/505')).json());
    expect(card.openFollowUps).toEqual([]);
    expect(card).toMatchObject({
      score: null,
      category: null,
      change: null,
      historyTotal: 1,
      surveyStatus: { state: 'pending' },
      canSend: { allowed: false, code: 'pending' },
    });
  });

  it('shows why the last survey was skipped and disables sending for an opted-out contact', async () => {
    const card = contactCardSchema.parse(await (await get(s(), '/api/card/contacts/503')).json());
    expect(card.surveyStatus).toEqual({ state: 'skipped', reason: 'opted_out' });
    expect(card.canSend).toEqual({
      allowed: false,
      needsConfirmation: false,
      code: 'opted_out',
      reason: 'The contact opted out of email.',
    });
  });

  it('shows an answer given in the in-app web survey with its channel', async () => {
    await seedContact(s().deps.db, TEST_PORTAL_ID, { contactId: '506' });
    await seedAnswer(s().deps.db, TEST_PORTAL_ID, '506', { score: 8, channel: 'web', answeredAt: day('2026-05-30') });
    const card = contactCardSchema.parse(await (await get(s(), '/api/card/contacts/506')).json());
    expect(card.history).toMatchObject([{ score: 8, channel: 'web' }]);
  });

  it('cuts very long comments in the history so 200 answers stay far below the 1 MB fetch limit', async () => {
    const card = contactCardSchema.parse(await (await get(s(), '/api/card/contacts/504')).json());
    expect(card.history[0]!.comment).toHaveLength(1000);
    expect(card.history[0]!.comment!.endsWith('…')).toBe(true);
    expect(card.canSend).toMatchObject({ allowed: false, code: 'no_email' });
  });

  it('judges fatigue from the same facts as the survey scheduler', async () => {
    for (const id of ['501', '502', '503', '504', '505']) {
      const card = (await loadContactCardData(s().deps.db, TEST_PORTAL_ID, id))!;
      const { email, optedOut, bounced, deleted } = card.contact;
      // The card's "send now" goes by email: the email facts are the ones that must agree.
      const facts = await loadFatigueInput(s().deps.db, TEST_PORTAL_ID, id);
      const scheduler = facts.contact!;
      expect({ contact: { email, optedOut, bounced, deleted }, lastSurveyAt: card.lastSurveyAt }, id).toEqual({
        contact: {
          email: scheduler.email,
          optedOut: scheduler.optedOut,
          bounced: scheduler.bounced,
          deleted: scheduler.deleted,
        },
        lastSurveyAt: facts.lastSurveyAt,
      });
    }
  });

  it('still answers, from its own table, when HubSpot refuses the task read', async () => {
    nock.cleanAll();
    nock('https://api.hubapi.com')
      .post('/crm/v3/objects/tasks/batch/read')
      .reply(403, { status: 'error', category: 'MISSING_SCOPES', message: 'no' })
      .persist()
      .get('/crm/v3/owners')
      .query(true)
      .reply(403, { status: 'error', category: 'MISSING_SCOPES', message: 'no' })
      .persist();
    const res = await get(s(), '/api/card/contacts/502');
    expect(res.status).toBe(200);
    const card = contactCardSchema.parse(await res.json());
    expect(card.openFollowUps).toMatchObject([
      { id: '9002', subject: 'Call Alan back', ownerId: '78', priority: 'HIGH', dueAt: null },
    ]);
  });

  it('rejects a forged signature, a stale one and a missing one with 401 and no data', async () => {
    const path = `/api/card/contacts/501?${query()}`;
    const forged = await signedFetch(s().url, path, {
      secret: 'not-the-client-secret',
      timestamp: clock.now().getTime(),
    });
    const stale = await signedFetch(s().url, path, { timestamp: clock.now().getTime() - 5 * 60_000 - 1 });
    const missing = await fetch(`${s().url}${path}`);
    for (const res of [forged, stale, missing]) {
      expect(res.status).toBe(401);
      const body = apiErrorSchema.parse(await res.json());
      expect(body.error.code).toBe('invalid_signature');
      expect(JSON.stringify(body)).not.toContain('Great onboarding');
    }
  });

  it('rejects a signed URL whose portalId was changed after signing', async () => {
    const ts = clock.now().getTime();
    const signature = signV3(
      TEST_CLIENT_SECRET,
      'GET',
      `${TEST_PUBLIC_URL}/api/card/contacts/601?${query(OTHER_PORTAL)}`,
      '',
      ts,
    );
    const res = await fetch(`${s().url}/api/card/contacts/601?${query(TEST_PORTAL_ID)}`, {
      headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(ts) },
    });
    expect(res.status).toBe(401);
  });

  it('rejects a signed request that names no portal', async () => {
    const res = await signedFetch(s().url, '/api/card/contacts/501', { timestamp: clock.now().getTime() });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('missing_portal');
  });

  it("answers not_found and no data when another portal asks for this portal's contact", async () => {
    const res = await get(s(), '/api/card/contacts/501', OTHER_PORTAL);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(cardOutcomeSchema.parse(JSON.parse(text))).toEqual({
      outcome: 'not_found',
      message: 'contact 501 not found',
    });
    expect(text).not.toMatch(/Grace|onboarding|9001/);
  });

  it('answers invalid_input naming the id for a non-numeric contact id', async () => {
    const res = await get(s(), '/api/card/contacts/abc');
    expect(res.status).toBe(200);
    const refusal = cardOutcomeSchema.parse(await res.json());
    expect(refusal.outcome).toBe('invalid_input');
    expect(refusal.message).toContain('contactId');
  });
});

describe('GET /api/card/companies/:companyId', () => {
  it('answers with the company NPS across its contacts, which parses with the shared contract', async () => {
    const res = await get(s(), '/api/card/companies/900');
    expect(res.status).toBe(200);
    const card = companyCardSchema.parse(await res.json());
    expect(card).toMatchObject({
      companyId: '900',
      name: 'Acme',
      nps: 0,
      n: 2,
      tooFew: true,
      counts: { promoters: 1, passives: 0, detractors: 1 },
    });
    expect(card.marginOfError).toBeGreaterThan(0);
    expect(card.contacts.map((c) => [c.name, c.score, c.category])).toEqual([
      ['Grace Hopper', 9, 'promoter'],
      ['Alan Turing', 3, 'detractor'],
    ]);
    expect(card.openFollowUps.map((f) => [f.id, f.contactId, f.ownerName])).toEqual([
      ['9002', '502', 'Alan Turing'],
      ['9001', '501', 'Ada Lovelace'],
    ]);
  });

  it('answers not_found and no data for a company of another portal, invalid_input for a malformed id', async () => {
    const foreign = await get(s(), '/api/card/companies/900', OTHER_PORTAL);
    expect(foreign.status).toBe(200);
    const text = await foreign.text();
    expect(cardOutcomeSchema.parse(JSON.parse(text))).toEqual({
      outcome: 'not_found',
      message: 'company 900 not found',
    });
    expect(text).not.toMatch(/Acme|Grace|Turing/);
    const malformed = await get(s(), '/api/card/companies/x9', OTHER_PORTAL);
    expect(malformed.status).toBe(200);
    const refusal = cardOutcomeSchema.parse(await malformed.json());
    expect(refusal.outcome).toBe('invalid_input');
    expect(refusal.message).toContain('companyId');
  });
});
