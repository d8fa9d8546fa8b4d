import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedSchedule } from '../../src/hubspot/rate-budget.repo';
import { PortalRateLimiter } from '../../src/hubspot/rate-limiter';
import { realTiming } from '../../src/hubspot/timing';
import { openTestDb, type TestDb } from '../helpers/db';

// App copies on one database pace one portal's HubSpot calls together: each call takes the next start slot of the
// portal's schedule in the database (Postgres when DATABASE_URL is set, PGlite otherwise: same SQL). Real time, a
// one-second window, so the figures are HubSpot's divided by ten.

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => t?.cleanup());

describe('the shared call schedule', () => {
  it('lets an idle portal burst, then spaces starts by the spacing', async () => {
    const reserve = sharedSchedule(t.db);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) waits.push(await reserve(7001, 'standard', { spacingMs: 100, burstMs: 200 }));
    // Slots: now−200, −100, 0 (all due at once), then +100, +200, +300 (less the time the statements took).
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    for (const [i, expected] of [100, 200, 300].entries()) {
      expect(waits[3 + i]).toBeGreaterThan(expected - 60);
      expect(waits[3 + i]).toBeLessThanOrEqual(expected);
    }
    // Another portal and another kind of call keep schedules of their own.
    expect(await reserve(7002, 'standard', { spacingMs: 100, burstMs: 0 })).toBe(0);
    expect(await reserve(7001, 'search', { spacingMs: 100, burstMs: 0 })).toBe(0);
  });

  it('keeps three copies together under the limit in every window, though each alone would allow the whole limit', async () => {
    const reserve = sharedSchedule(t.db);
    const options = { max: 20, intervalMs: 1000, maxConcurrent: 4 };
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
    const busiest = Math.max(...starts.map((s) => starts.filter((x) => x >= s && x < s + 1000).length));
    // The limit less its reserve (20 − 1); without the shared schedule all 45 calls would start at once.
    expect(busiest).toBeLessThanOrEqual(19);
    expect(busiest).toBeGreaterThanOrEqual(15);
  });
});
