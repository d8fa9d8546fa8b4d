import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepExpiredScores } from '../../src/responses/expiry';
import { claimLease, releaseLease } from '../../src/outbox';
import { recordResponse } from '../../src/responses/record';
import { probeWaitingPortals } from '../../src/responses/ticker';
import { fixedClock } from '../../src/shared/clock';
import { openTestDb, type TestDb } from '../helpers/db';
import { contactPropertiesOutbox } from '../../src/responses/writeback';
import { anOutboxItem, aPortal, someContacts } from '../factories';

const PORTAL = 3131;
const NOW = new Date('2025-06-15T12:00:00Z');
const monthsAgo = (m: number, days = 0) => new Date(Date.UTC(2025, 5 - m, 15 - days, 12));

// One database for the file: the describes use distinct portals.
let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => t?.cleanup());

describe('expired answers leave HubSpot', () => {
  beforeAll(async () => {
    await aPortal(t.db, { portalId: PORTAL });
    await someContacts(t.db, PORTAL, [
      { contactId: 1, companyId: 70 },
      { contactId: 2, companyId: 70 },
      { contactId: 3, companyId: null },
    ]);
    const deps = { db: t.db, clock: fixedClock(NOW) };
    const record = (contactId: number, score: number, answeredAt: Date) =>
      recordResponse(deps, { portalId: PORTAL, contactId, score, channel: 'manual', trigger: 'manual', answeredAt });
    await record(1, 9, monthsAgo(13)); // expired a month ago
    await record(2, 5, monthsAgo(11)); // expires in a month
    await record(3, 10, monthsAgo(14)); // older answer expired, but …
    await record(3, 6, monthsAgo(1)); // … the latest one is current
    await t.db.query('DELETE FROM outbox');
  });

  const marked = async () =>
    (
      await t.db.query<{ kind: string; item_key: string }>(
        `SELECT kind, item_key FROM outbox WHERE portal_id = $1 ORDER BY kind, item_key`,
        [PORTAL],
      )
    ).rows;

  it('marks the contacts (and companies) whose latest answer expired since the last sweep, once', async () => {
    expect(await sweepExpiredScores({ db: t.db }, PORTAL, NOW)).toBe(1);
    expect(await marked()).toEqual([
      { kind: 'company-rollup', item_key: '70' },
      { kind: 'contact-properties', item_key: '1' },
    ]);
    await t.db.query('DELETE FROM outbox');
    expect(await sweepExpiredScores({ db: t.db }, PORTAL, new Date(NOW.getTime() + 3_600_000))).toBe(0);
    expect(await marked()).toEqual([]);
  });

  it('a month later marks the next answer to expire, and only that one', async () => {
    expect(await sweepExpiredScores({ db: t.db }, PORTAL, new Date(Date.UTC(2025, 6, 16, 12)))).toBe(1);
    expect(await marked()).toEqual([
      { kind: 'company-rollup', item_key: '70' },
      { kind: 'contact-properties', item_key: '2' },
    ]);
  });
});

describe('flush leases', () => {
  it('give one flusher a portal at a time, across copies, until released or expired', async () => {
    expect(await claimLease(t.db, 1, 'contact-properties', 'copy-a', 60_000)).toBe(true);
    expect(await claimLease(t.db, 1, 'contact-properties', 'copy-b', 60_000)).toBe(false);
    // Other portals and other kinds are independent.
    expect(await claimLease(t.db, 2, 'contact-properties', 'copy-b', 60_000)).toBe(true);
    expect(await claimLease(t.db, 1, 'company-rollup', 'copy-b', 60_000)).toBe(true);
    // The holder renews its own lease.
    expect(await claimLease(t.db, 1, 'contact-properties', 'copy-a', 60_000)).toBe(true);
    await releaseLease(t.db, 1, 'contact-properties', 'copy-b'); // not b's to release
    expect(await claimLease(t.db, 1, 'contact-properties', 'copy-b', 60_000)).toBe(false);
    await releaseLease(t.db, 1, 'contact-properties', 'copy-a');
    expect(await claimLease(t.db, 1, 'contact-properties', 'copy-b', 60_000)).toBe(true);
  });

  it('a holder that died lets its lease run out', async () => {
    expect(await claimLease(t.db, 9, 'contact-properties', 'dead-copy', 1500)).toBe(true);
    expect(await claimLease(t.db, 9, 'contact-properties', 'live-copy', 60_000)).toBe(false);
    await new Promise((r) => setTimeout(r, 1700));
    expect(await claimLease(t.db, 9, 'contact-properties', 'live-copy', 60_000)).toBe(true);
  });
});

describe('recovering after an outage', () => {
  const clock = fixedClock('2025-06-15T12:00:00Z');
  const inMinutes = (m: number) => new Date(clock.now().getTime() + m * 60_000);

  const item = (portal: number, key: string, dueAt: Date, attempts: number, lastError: string | null) =>
    anOutboxItem(t.db, portal, contactPropertiesOutbox, key, {
      dueAt,
      attempts,
      lastError,
      rejected: lastError?.startsWith('rejected: ') ?? false,
    });
  const dueNow = async (portal: number) =>
    (
      await t.db.query<{ item_key: string }>(
        `SELECT item_key FROM outbox WHERE portal_id = $1 AND due_at <= $2 ORDER BY item_key`,
        [portal, clock.now()],
      )
    ).rows.map((r) => r.item_key);

  it('retries the earliest waiting item of a portal whose items all back off far ahead, and only there', async () => {
    await item(1, 'a', inMinutes(4), 6, '503: HubSpot down');
    await item(1, 'b', inMinutes(2), 5, '503: HubSpot down');
    await item(2, 'c', inMinutes(5), 6, '503: HubSpot down');
    await item(2, 'd', inMinutes(0.1), 1, '429: slow down'); // portal 2 retries soon anyway
    await item(3, 'e', inMinutes(1), 3, 'rejected: 400 VALIDATION_ERROR'); // refused writes wait for an admin
    expect(await probeWaitingPortals({ db: t.db, clock })).toBe(1);
    expect(await dueNow(1)).toEqual(['b']);
    expect(await dueNow(2)).toEqual([]);
    expect(await dueNow(3)).toEqual([]);
  });
});
