import nock from 'nock';
import type { Clock } from '../../src/shared/clock';
import type { Queryable } from '../../src/storage/db';
import { afterAll, beforeAll } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/db';
import { useNockedServer } from '../helpers/nocked-server';
import type { TestServer } from '../helpers/server';
import { aCompany, aContact, aFollowUp, anInvitation, aPortal, aResponse } from '../factories';

// A small portal whose every number the insight tests can work out by hand (or by a few lines of JavaScript
// over these arrays, independent of the SQL under test).

export const PORTAL = 1001;
export const PERIOD = { from: '2026-06-01', to: '2026-06-30' };
export const PREVIOUS = { from: '2026-05-02', to: '2026-05-31' };
export const NOW = new Date('2026-07-01T12:00:00Z');

export const CONTACTS = [
  {
    id: 1,
    owner: '11',
    company: 501,
    lifecycle: 'customer',
    since: '2026-05-10T00:00:00Z',
    created: null,
    firstname: 'Ada',
    lastname: 'Lovelace',
    tenure: 'lt3m',
  },
  {
    id: 2,
    owner: '11',
    company: 502,
    lifecycle: 'customer',
    since: '2025-01-15T00:00:00Z',
    created: null,
    firstname: 'Bo',
    lastname: 'Berg',
    tenure: '1to2y',
  },
  {
    id: 3,
    owner: '22',
    company: null,
    lifecycle: 'evangelist',
    since: null,
    created: '2023-01-01T00:00:00Z',
    firstname: 'Cy',
    lastname: '<b>Bold</b>',
    tenure: '2yplus',
  },
  {
    id: 4,
    owner: '22',
    company: 501,
    lifecycle: 'opportunity',
    since: '2025-11-01T00:00:00Z',
    created: null,
    firstname: 'Di',
    lastname: 'Dahl',
    tenure: '3to12m',
  },
] as const;

const COMPANIES = [
  { id: 501, name: 'Acme', industry: 'Retail' },
  { id: 502, name: 'Globex', industry: 'Software' },
] as const;

export interface FixtureAnswer {
  key: string;
  contact: 1 | 2 | 3 | 4;
  score: number;
  at: string;
  trigger: string;
  pipeline: string | null;
  stage: string | null;
  comment: string | null;
}

export const ANSWERS: FixtureAnswer[] = [
  {
    key: 'a1',
    contact: 1,
    score: 10,
    at: '2026-06-02T10:00:00Z',
    trigger: 'deal',
    pipeline: 'default',
    stage: 'closedwon',
    comment: 'Great service, 50% faster',
  },
  {
    key: 'a2',
    contact: 1,
    score: 6,
    at: '2026-06-20T10:00:00Z',
    trigger: 'ticket',
    pipeline: '0',
    stage: '4',
    comment: 'Slow_reply',
  },
  {
    key: 'a3',
    contact: 2,
    score: 9,
    at: '2026-06-05T08:00:00Z',
    trigger: 'deal',
    pipeline: '87654321',
    stage: '87654324',
    comment: null,
  },
  {
    key: 'a4',
    contact: 2,
    score: 8,
    at: '2026-06-25T09:00:00Z',
    trigger: 'relationship',
    pipeline: null,
    stage: null,
    comment: 'ok',
  },
  {
    key: 'a5',
    contact: 3,
    score: 3,
    at: '2026-06-10T10:00:00Z',
    trigger: 'ticket',
    pipeline: '0',
    stage: '4',
    comment: '=HYPERLINK("http://evil")',
  },
  {
    key: 'a6',
    contact: 4,
    score: 10,
    at: '2026-06-15T12:00:00Z',
    trigger: 'deal',
    pipeline: 'default',
    stage: 'closedwon',
    comment: 'Love it, "really"\nSecond line',
  },
  {
    key: 'a7',
    contact: 4,
    score: 7,
    at: '2026-06-30T23:30:00Z',
    trigger: 'workflow',
    pipeline: null,
    stage: null,
    comment: null,
  },
  {
    key: 'b1',
    contact: 1,
    score: 2,
    at: '2026-05-10T10:00:00Z',
    trigger: 'deal',
    pipeline: 'default',
    stage: 'closedwon',
    comment: null,
  },
  {
    key: 'b2',
    contact: 3,
    score: 4,
    at: '2026-05-20T10:00:00Z',
    trigger: 'ticket',
    pipeline: '0',
    stage: '4',
    comment: null,
  },
  {
    key: 'b3',
    contact: 2,
    score: 9,
    at: '2026-05-25T10:00:00Z',
    trigger: 'ticket',
    pipeline: '0',
    stage: '4',
    comment: null,
  },
  // Just outside both periods.
  {
    key: 'x1',
    contact: 1,
    score: 10,
    at: '2026-07-01T00:00:00Z',
    trigger: 'deal',
    pipeline: 'default',
    stage: 'closedwon',
    comment: 'after the period',
  },
  {
    key: 'x2',
    contact: 1,
    score: 0,
    at: '2026-05-01T23:59:59Z',
    trigger: 'deal',
    pipeline: 'default',
    stage: 'closedwon',
    comment: 'before both',
  },
];

export const FOLLOW_UPS = [
  {
    answer: 'a2',
    category: 'detractor',
    owner: '11',
    status: 'completed',
    due: '2026-06-22T10:00:00Z',
    completed: '2026-06-20T15:00:00Z',
  },
  {
    answer: 'a5',
    category: 'detractor',
    owner: '22',
    status: 'completed',
    due: '2026-06-11T10:00:00Z',
    completed: '2026-06-12T10:00:00Z',
  },
  {
    answer: 'a1',
    category: 'promoter',
    owner: '11',
    status: 'completed',
    due: '2026-06-09T10:00:00Z',
    completed: '2026-06-03T10:00:00Z',
  },
  { answer: 'a6', category: 'promoter', owner: '22', status: 'open', due: '2026-06-22T12:00:00Z', completed: null },
  { answer: 'a7', category: 'passive', owner: '22', status: 'open', due: '2026-07-03T23:30:00Z', completed: null },
  { answer: 'a3', category: 'promoter', owner: '11', status: 'deleted', due: '2026-06-12T08:00:00Z', completed: null },
] as const;

const INVITATIONS = [
  {
    key: 'i1',
    trigger: 'deal',
    channel: 'email',
    status: 'answered',
    scheduled: '2026-06-01T09:00:00Z',
    sent: '2026-06-01T09:00:00Z',
    reminded: null,
    answered: '2026-06-02T10:00:00Z',
    skip: null,
  },
  {
    key: 'i2',
    trigger: 'ticket',
    channel: 'email',
    status: 'answered',
    scheduled: '2026-06-10T09:00:00Z',
    sent: '2026-06-10T09:00:00Z',
    reminded: '2026-06-13T09:00:00Z',
    answered: '2026-06-14T10:00:00Z',
    skip: null,
  },
  {
    key: 'i3',
    trigger: 'ticket',
    channel: 'hubspot',
    status: 'reminded',
    scheduled: '2026-06-12T09:00:00Z',
    sent: '2026-06-12T09:00:00Z',
    reminded: '2026-06-15T09:00:00Z',
    answered: null,
    skip: null,
  },
  {
    key: 'i4',
    trigger: 'deal',
    channel: 'email',
    status: 'skipped',
    scheduled: '2026-06-05T09:00:00Z',
    sent: null,
    reminded: null,
    answered: null,
    skip: 'quiet_period',
  },
  {
    key: 'i5',
    trigger: 'deal',
    channel: 'email',
    status: 'skipped',
    scheduled: '2026-06-06T09:00:00Z',
    sent: null,
    reminded: null,
    answered: null,
    skip: 'opted_out',
  },
  {
    key: 'i6',
    trigger: 'relationship',
    channel: 'email',
    status: 'answered',
    scheduled: '2026-05-20T09:00:00Z',
    sent: '2026-05-20T09:00:00Z',
    reminded: null,
    answered: '2026-05-21T09:00:00Z',
    skip: null,
  },
] as const;

/** Loads the fixture; returns the response id of each answer key. */
export async function seedFixture(db: Queryable, portalId = PORTAL): Promise<Map<string, string>> {
  await aPortal(db, { portalId });
  for (const c of COMPANIES) {
    await aCompany(db, portalId, { companyId: c.id, name: c.name, industry: c.industry });
  }
  for (const c of CONTACTS) {
    await aContact(db, portalId, {
      contactId: c.id,
      email: `c${c.id}@example.com`,
      firstname: c.firstname,
      lastname: c.lastname,
      ownerId: c.owner,
      companyId: c.company,
      lifecycleStage: c.lifecycle,
      customerSince: c.since ? new Date(c.since) : null,
      createdAt: c.created ? new Date(c.created) : null,
      language: 'en',
    });
  }
  const ids = new Map<string, string>();
  for (const a of ANSWERS) {
    const c = CONTACTS.find((x) => x.id === a.contact)!;
    const fromObject = a.trigger === 'deal' || a.trigger === 'ticket';
    const r = await aResponse(db, {
      portalId,
      contactId: a.contact,
      score: a.score,
      comment: a.comment,
      channel: 'email',
      trigger: a.trigger,
      source: {
        objectType: fromObject ? a.trigger : null,
        objectId: fromObject ? 7000 + ANSWERS.indexOf(a) : null,
        pipeline: a.pipeline,
        stage: a.stage,
      },
      ownerId: c.owner,
      companyId: c.company,
      language: 'en',
      answeredAt: new Date(a.at),
    });
    ids.set(a.key, r.id);
  }
  for (const f of FOLLOW_UPS) {
    const a = ANSWERS.find((x) => x.key === f.answer)!;
    await aFollowUp(db, {
      portalId,
      responseId: ids.get(f.answer)!,
      contactId: a.contact,
      category: f.category,
      ownerId: f.owner,
      status: f.status,
      dueAt: new Date(f.due),
      completedAt: f.completed ? new Date(f.completed) : null,
    });
  }
  for (const i of INVITATIONS) {
    await anInvitation(db, {
      portalId,
      contactId: 1,
      trigger: i.trigger,
      milestoneKey: i.key,
      channel: i.channel,
      status: i.status,
      skipReason: i.skip,
      scheduledFor: new Date(i.scheduled),
      sentAt: i.sent ? new Date(i.sent) : null,
      remindedAt: i.reminded ? new Date(i.reminded) : null,
      answeredAt: i.answered ? new Date(i.answered) : null,
    });
  }
  return ids;
}

/** Answers whose UTC day lies in the period. */
export function answersIn(period: { from: string; to: string }, answers: FixtureAnswer[] = ANSWERS): FixtureAnswer[] {
  return answers.filter((a) => a.at.slice(0, 10) >= period.from && a.at.slice(0, 10) <= period.to);
}

/** Each contact's latest answer among the given ones. */
export function latestPerContact(answers: FixtureAnswer[]): FixtureAnswer[] {
  const latest = new Map<number, FixtureAnswer>();
  for (const a of answers) if (!latest.has(a.contact) || latest.get(a.contact)!.at < a.at) latest.set(a.contact, a);
  return [...latest.values()];
}

/** NPS and margin written out from the definition, to one decimal. */
export function expectedNps(scores: number[]): {
  n: number;
  nps: number | null;
  marginOfError: number | null;
  promoters: number;
  passives: number;
  detractors: number;
} {
  const n = scores.length;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const passives = n - promoters - detractors;
  if (n === 0) return { n, nps: null, marginOfError: null, promoters, passives, detractors };
  const p = promoters / n;
  const d = detractors / n;
  const margin =
    n < 2 ? null : Math.round(1.959964 * Math.sqrt((p * (1 - p) + d * (1 - d) + 2 * p * d) / n) * 100 * 10) / 10;
  return {
    n,
    nps: Math.round(((promoters - detractors) / n) * 100 * 10) / 10,
    marginOfError: margin,
    promoters,
    passives,
    detractors,
  };
}

/** HubSpot's owners list, answered for the whole test file (the dashboard shows owners by name). */
export function nockOwners(
  owners: Record<string, [string, string]> = { '11': ['Ines', 'Ito'], '22': ['Omar', 'Oduya'] },
): void {
  nock('https://api.hubapi.com')
    .persist()
    .get('/crm/v3/owners')
    .query(true)
    .reply(200, {
      results: Object.entries(owners).map(([id, [firstName, lastName]]) => ({
        id,
        email: `${firstName.toLowerCase()}@example.com`,
        firstName,
        lastName,
      })),
    });
}

/** The real app (workers off) on the fixture portal, with HubSpot's owners faked: for the dashboard's HTTP suites. */
export function useInsightsServer(clock: Clock): () => TestServer {
  return useNockedServer({
    env: { RUN_WORKERS: 'false' },
    start: { clock },
    before: () => nockOwners(),
    seed: (s) => seedFixture(s.deps.db),
  });
}

/** The insight settings and follow-up deadlines (business days per category) the suites compute the fixture with. */
export const FIXTURE_SETTINGS = { target: 50, minAnswers: 3 };
export const FIXTURE_SLA = { detractor: 1, passive: 3, promoter: 5 };

/** A database of its own holding the fixture, for one suite: `db` and the answers' `ids` (key → id) once it has started. */
export function useFixtureDb(): { readonly db: TestDb['db']; readonly ids: Map<string, string> } {
  let t: TestDb | undefined;
  let ids: Map<string, string> | undefined;
  beforeAll(async () => {
    t = await openTestDb();
    ids = await seedFixture(t.db);
  });
  afterAll(async () => t?.cleanup());
  const started = () => {
    if (!t || !ids) throw new Error('the fixture database has not started');
    return { db: t.db, ids };
  };
  return {
    get db() {
      return started().db;
    },
    get ids() {
      return started().ids;
    },
  };
}
