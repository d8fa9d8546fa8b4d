import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedSchedule } from '../../src/hubspot/rate-budget.repo';
import { PortalRateLimiter } from '../../src/hubspot/rate-limiter';
import { realTiming } from '../../src/hubspot/timing';
import { openTestDb, type TestDb } from '../helpers/db';

// App copies on one database pace one portal's HubSpot calls together: each call takes the next start slot of the
// portal's schedule in the database (Postgres when DATABASE_URL is set, PGlite otherwise: same SQL). Real time, a
// two-second window and a limit of 20, so the test is short.

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => t?.cleanup());

describe('the shared call schedule', () => {
  it('lets an idle portal burst up to the budget, then starts each call a window after the one budget places back', async () => {
    const reserve = sharedSchedule(t.db);
    // A window of minutes, so the time the statements themselves take does not matter.
    const window = { budget: 3, windowMs: 120_000 };
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) waits.push(await reserve(7001, 'standard', window));
    // Three at once (the budget), then three a window after them, then the next a window after those.
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    for (const [i, expected] of [120_000, 120_000, 120_000, 240_000].entries()) {
      expect(waits[3 + i]).toBeGreaterThan(expected - 5000);
      expect(waits[3 + i]).toBeLessThanOrEqual(expected);
    }
    // Another portal and another kind of call keep schedules of their own.
    expect(await reserve(7002, 'standard', { budget: 1, windowMs: 60_000 })).toBe(0);
    expect(await reserve(7001, 'search', { budget: 1, windowMs: 60_000 })).toBe(0);
  });

  it('keeps three copies together under the limit in every window, though each alone would allow the whole limit', async () => {
    const reserve = sharedSchedule(t.db);
    const options = { max: 20, intervalMs: 2000, maxConcurrent: 4 };
    const copies = [1, 2, 3].map(
      () => new PortalRateLimiter(options, realTiming, (kind, spacing) => reserve(7003, kind, spacing)),
    );
    const starts: number[] = [];
    await Promise.all(
      copies.map((limiter) =>
        Promise.all(
          Array.from({ length: 15 }, async () => {
            await limiter.acquire('standard', Number.MAX_SAFE_INTEGER);
            starts.push(Date.now());
            limiter.release();
          }),
        ),
      ),
    );
    starts.sort((a, b) => a - b);
    const busiest = Math.max(...starts.map((s) => starts.filter((x) => x >= s && x < s + 2000).length));
    // Within the limit (the schedule allows 20 − 1 per 2.1 s, for late starts); alone, each copy would start
    // all its 15 calls at once, 45 in all.
    expect(busiest).toBeLessThanOrEqual(20);
    expect(busiest).toBeGreaterThanOrEqual(15);
  });
});
