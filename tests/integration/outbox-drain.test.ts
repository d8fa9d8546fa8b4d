import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHealthProblems, type AppDeps } from '../../src/core/deps';
import {
  DEFAULT_HOLD,
  defineOutboxKind,
  drainPortal,
  markOutbox,
  type BatchOutcome,
  type DrainContext,
  type DrainOutcome,
  type OutboxItem,
  type OutboxKind,
  type OutboxKindSpec,
} from '../../src/outbox';
import { fixedClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import { openTestDb, type TestDb } from '../helpers/db';
import { TEST_DATABASE_URL } from '../helpers/env';
import { anOutboxItem, aPortal } from '../factories';

// The drain's rules, once for every kind: each case declares a kind whose `handle` plays HubSpot's part (landed,
// refused, unreachable, a lease taken over) and checks what is left in the outbox, on /healthz and in the outcome.

const PORTAL = 1;
const NOW = new Date('2025-06-15T12:00:00Z');
const HEALTH_KEY = `test:${PORTAL}`;

interface Seed {
  key: string;
  /** How long ago the item became due (negative: due in the future). */
  ageMs?: number;
  attempts?: number;
  rejected?: boolean;
}

interface Env {
  t: TestDb;
  kind: string;
  /** Another app copy takes the portal's lease, as if ours had run out. */
  stealLease(): Promise<void>;
}

interface Row {
  key: string;
  attempts: number;
  dueNow: boolean;
  rejected: boolean;
  lastError: string | null;
}

interface Case {
  name: string;
  seed: Seed[];
  hold?: OutboxKindSpec['hold'];
  healthBefore?: boolean;
  handle(ctx: DrainContext, items: OutboxItem[], env: Env): Promise<BatchOutcome>;
  /** Keys handed to `handle`, per call. */
  batches: string[][];
  /** Items left, in key order (only the fields given are compared). */
  left: Array<Partial<Row> & { key: string }>;
  health: 'reported' | 'clear';
  outcome?: Partial<DrainOutcome>;
}

const keys = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `k${String(from + i).padStart(4, '0')}`);
const seeds = (n: number, s: Omit<Seed, 'key'> = {}) => keys(n).map((key) => ({ key, ageMs: 10_000, ...s }));
const allDone = async (_ctx: DrainContext, items: OutboxItem[]): Promise<BatchOutcome> => ({
  done: items,
  landed: items.length,
});

const cases: Case[] = [
  {
    name: 'full batches go at once; the partial remainder of fresh items is held',
    seed: seeds(250, { ageMs: 0 }),
    hold: DEFAULT_HOLD,
    handle: allDone,
    batches: [keys(100), keys(100, 100)],
    left: keys(50, 200).map((key) => ({ key, attempts: 0 })),
    health: 'clear',
  },
  {
    name: 'a partial batch is held while items are still arriving',
    seed: seeds(30, { ageMs: DEFAULT_HOLD.quietMs - 100 }),
    hold: DEFAULT_HOLD,
    handle: allDone,
    batches: [],
    left: keys(30).map((key) => ({ key })),
    health: 'clear',
  },
  {
    name: 'a partial batch goes once no item arrived for the quiet time',
    seed: seeds(30, { ageMs: DEFAULT_HOLD.quietMs }),
    hold: DEFAULT_HOLD,
    handle: allDone,
    batches: [keys(30)],
    left: [],
    health: 'clear',
  },
  {
    name: 'a partial batch goes when its oldest item waited the maximum hold, even while items keep arriving',
    seed: [
      { key: 'a', ageMs: DEFAULT_HOLD.maxHoldMs },
      { key: 'b', ageMs: 0 },
    ],
    hold: DEFAULT_HOLD,
    handle: allDone,
    batches: [['a', 'b']],
    left: [],
    health: 'clear',
  },
  {
    name: 'a lease lost before a HubSpot call stops the pass; no item is completed or failed',
    seed: seeds(150),
    async handle(ctx, _items, env) {
      await env.stealLease();
      await ctx.beforeCall();
      throw new Error('unreachable: beforeCall must throw');
    },
    batches: [keys(100)],
    left: keys(150).map((key) => ({ key, attempts: 0, dueNow: true, lastError: null })),
    health: 'clear',
    outcome: { leaseLost: true, done: 0, failed: 0 },
  },
  {
    name: 'a lease lost between batches stops the pass before the next batch',
    seed: seeds(150),
    async handle(_ctx, items, env) {
      await env.stealLease();
      return { done: items, landed: items.length };
    },
    batches: [keys(100)],
    left: keys(50, 100).map((key) => ({ key, attempts: 0, dueNow: true })),
    health: 'clear',
    outcome: { leaseLost: true, done: 100 },
  },
  {
    name: 'an unreachable HubSpot backs the batch off and stops the pass',
    seed: seeds(150),
    handle: async (_ctx, items) => ({
      done: [],
      failed: items.map((item) => ({ item, reason: '503: down', rejected: false })),
    }),
    batches: [keys(100)],
    left: [
      ...keys(100).map((key) => ({ key, attempts: 1, dueNow: false, rejected: false, lastError: '503: down' })),
      ...keys(50, 100).map((key) => ({ key, attempts: 0, dueNow: true })),
    ],
    health: 'clear',
    outcome: { failed: 100, rejected: 0 },
  },
  {
    name: 'a batch whose handle throws is backed off like an unreachable HubSpot',
    seed: seeds(2),
    handle: async () => {
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    },
    batches: [keys(2)],
    left: keys(2).map((key) => ({
      key,
      attempts: 1,
      dueNow: false,
      rejected: false,
      lastError: 'no answer: socket hang up',
    })),
    health: 'clear',
  },
  {
    name: 'a refused item is marked rejected and reported; the other items go on',
    seed: seeds(150),
    handle: async (_ctx, items) => ({
      done: items.filter((i) => i.key !== 'k0003'),
      failed: items
        .filter((i) => i.key === 'k0003')
        .map((item) => ({ item, reason: '400 VALIDATION_ERROR: no such property', rejected: true })),
      landed: items.length - 1,
    }),
    batches: [keys(100), keys(50, 100)],
    left: [
      {
        key: 'k0003',
        attempts: 1,
        dueNow: false,
        rejected: true,
        lastError: 'rejected: 400 VALIDATION_ERROR: no such property',
      },
    ],
    health: 'reported',
    outcome: { done: 149, failed: 1, rejected: 1 },
  },
  {
    name: 'a pass without rejections clears the problem on /healthz',
    seed: seeds(3),
    healthBefore: true,
    handle: allDone,
    batches: [keys(3)],
    left: [],
    health: 'clear',
  },
  {
    name: 'the problem stays on /healthz while a refused item is still waiting',
    seed: [...seeds(2), { key: 'refused', ageMs: -60_000, attempts: 3, rejected: true }],
    healthBefore: true,
    handle: allDone,
    batches: [keys(2)],
    left: [{ key: 'refused', dueNow: false, rejected: true }],
    health: 'reported',
  },
  {
    name: 'a write HubSpot took releases items backing off after an outage, but not refused ones',
    seed: [
      { key: 'a' },
      { key: 'waiting', ageMs: -300_000, attempts: 6 },
      { key: 'refused', ageMs: -300_000, attempts: 6, rejected: true },
    ],
    healthBefore: true,
    handle: allDone,
    batches: [['a']],
    left: [
      { key: 'refused', dueNow: false },
      { key: 'waiting', dueNow: true, attempts: 6 },
    ],
    health: 'reported',
  },
  {
    name: 'items completed without a HubSpot write release nothing',
    seed: [{ key: 'a' }, { key: 'waiting', ageMs: -300_000, attempts: 6 }],
    handle: async (_ctx, items) => ({ done: items }),
    batches: [['a']],
    left: [{ key: 'waiting', dueNow: false }],
    health: 'clear',
  },
  {
    name: 'an item marked again while its work was in flight is not completed',
    seed: seeds(2),
    async handle(_ctx, items, env) {
      await markOutbox(env.t.db, PORTAL, env.kind, 'k0001');
      return { done: items, landed: items.length };
    },
    batches: [keys(2)],
    left: [{ key: 'k0001', dueNow: true, attempts: 0 }],
    health: 'clear',
  },
  {
    name: 'items neither done nor failed stay due for the next drain',
    seed: seeds(3),
    handle: async (_ctx, items) => ({ done: items.slice(0, 1), landed: 1 }),
    batches: [keys(3)],
    left: keys(2, 1).map((key) => ({ key, dueNow: true, attempts: 0 })),
    health: 'clear',
  },
];

describe(`the outbox drain on ${TEST_DATABASE_URL ? 'postgres' : 'pglite'}`, () => {
  let t: TestDb;
  let deps: AppDeps;
  let n = 0;
  beforeAll(async () => {
    t = await openTestDb();
    await aPortal(t.db, { portalId: PORTAL });
  });
  afterAll(async () => t.cleanup());
  beforeEach(() => {
    // What the drain uses of the app: the database, the clock, a logger and /healthz. The kinds below never
    // reach for HubSpot or the config.
    deps = {
      db: t.db,
      clock: fixedClock(NOW),
      logger: silentLogger,
      health: createHealthProblems(),
    } as unknown as AppDeps;
  });

  const seed = async (kind: OutboxKind, items: Seed[]) => {
    for (const s of items) {
      await anOutboxItem(t.db, PORTAL, kind, s.key, {
        dueAt: new Date(NOW.getTime() - (s.ageMs ?? 10_000)),
        attempts: s.attempts ?? 0,
        rejected: s.rejected ?? false,
      });
    }
  };
  const rows = async (kind: string): Promise<Row[]> =>
    (
      await t.db.query<{
        item_key: string;
        attempts: number;
        due_at: Date | string;
        rejected: boolean;
        last_error: string | null;
      }>(`SELECT item_key, attempts, due_at, rejected, last_error FROM outbox WHERE kind = $1 ORDER BY item_key`, [
        kind,
      ])
    ).rows.map((r) => ({
      key: r.item_key,
      attempts: r.attempts,
      dueNow: new Date(r.due_at) <= NOW,
      rejected: r.rejected,
      lastError: r.last_error,
    }));

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const kindName = `test-${++n}`;
    const batches: string[][] = [];
    const env: Env = {
      t,
      kind: kindName,
      stealLease: async () => {
        await t.db.query(
          `UPDATE outbox_leases SET holder = 'another copy', lease_until = now() + interval '1 minute' WHERE portal_id = $1 AND kind = $2`,
          [PORTAL, kindName],
        );
      },
    };
    const kind = defineOutboxKind({
      kind: kindName,
      queue: `test.${kindName}`,
      ...(c.hold !== undefined ? { hold: c.hold } : {}),
      health: { key: () => HEALTH_KEY, message: 'HubSpot refused a test write' },
      handle: (ctx, items) => {
        batches.push(items.map((i) => i.key));
        return c.handle(ctx, items, env);
      },
    });
    await seed(kind, c.seed);
    if (c.healthBefore)
      deps.health.report(HEALTH_KEY, { portalId: PORTAL, message: 'HubSpot refused a test write: earlier' });

    const outcome = await drainPortal(deps, kind, PORTAL);

    expect(outcome.claimed).toBe(true);
    expect(batches).toEqual(c.batches);
    const left = await rows(kindName);
    expect(left.map((r) => r.key)).toEqual(c.left.map((r) => r.key));
    c.left.forEach((want, i) => expect(left[i]).toMatchObject(want));
    const problem = deps.health.list().find((p) => p.key === HEALTH_KEY);
    if (c.health === 'clear') expect(problem).toBeUndefined();
    else
      expect(problem).toMatchObject({
        portalId: PORTAL,
        message: expect.stringContaining('HubSpot refused a test write'),
      });
    if (c.outcome) expect(outcome).toMatchObject(c.outcome);
  });

  it('two drains on the same portal never work at the same time', async () => {
    const kindName = `test-${++n}`;
    let inFlight = 0;
    let most = 0;
    const kind = defineOutboxKind({
      kind: kindName,
      queue: `test.${kindName}`,
      batchSize: 10,
      async handle(ctx, items) {
        inFlight++;
        most = Math.max(most, inFlight);
        await ctx.beforeCall();
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return { done: items, landed: items.length };
      },
    });
    await seed(kind, seeds(50));
    const outcomes = await Promise.all([
      drainPortal(deps, kind, PORTAL),
      drainPortal(deps, kind, PORTAL),
      drainPortal(deps, kind, PORTAL),
    ]);
    expect(most).toBe(1);
    expect(outcomes.filter((o) => o.claimed)).toHaveLength(1);
    expect(outcomes.reduce((sum, o) => sum + o.done, 0)).toBe(50);
    expect(await rows(kindName)).toEqual([]);
    // The lease is released afterwards: the next drain gets it.
    expect((await drainPortal(deps, kind, PORTAL)).claimed).toBe(true);
  });

  it('a drain with a time budget stops after its first batch once the budget is spent and leaves the rest due', async () => {
    const kindName = `test-${++n}`;
    const batches: number[] = [];
    const kind = defineOutboxKind({
      kind: kindName,
      queue: `test.${kindName}`,
      batchSize: 10,
      async handle(_ctx, items) {
        batches.push(items.length);
        return { done: items, landed: items.length };
      },
    });
    await seed(kind, seeds(50));

    const outcome = await drainPortal(deps, kind, PORTAL, { budgetMs: 0 });

    expect(batches).toEqual([10]);
    expect(outcome).toMatchObject({ claimed: true, batches: 1, done: 10 });
    const left = await rows(kindName);
    expect(left).toHaveLength(40);
    expect(left.every((r) => r.dueNow && r.attempts === 0)).toBe(true);
    // Without a budget the next drain takes everything that is left.
    expect(await drainPortal(deps, kind, PORTAL)).toMatchObject({ batches: 4, done: 40 });
  });

  it('refuses a kind declared twice', () => {
    defineOutboxKind({ kind: 'test-twice', queue: 'test.twice', handle: allDone });
    expect(() => defineOutboxKind({ kind: 'test-twice', queue: 'test.twice', handle: allDone })).toThrow(
      /declared twice/,
    );
  });
});
