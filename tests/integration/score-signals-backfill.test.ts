import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../../src/storage/migrate';
import { companyRollupOutbox, contactPropertiesOutbox } from '../../src/responses';
import { openTestDb, type TestDb } from '../helpers/db';
import { aContact, anOutboxItem, aPortal, aResponse } from '../factories';

// Migration 572 gives contacts and companies that answered before the score-change signals existed their new
// properties once, by marking them for the ordinary write-back.

const BACKFILL = listMigrations().find((m) => m.version.startsWith('572_'))!;
let t: TestDb;

beforeAll(async () => {
  t = await openTestDb();
  const db = t.db;
  await aPortal(db, { portalId: 71 });
  await aPortal(db, { portalId: 72, status: 'uninstalled' });
  await aContact(db, 71, { contactId: 1, companyId: 900 });
  await aContact(db, 71, { contactId: 2, companyId: 900 });
  await aContact(db, 71, { contactId: 3 });
  await aContact(db, 71, { contactId: 4, companyId: 901 });
  await aContact(db, 72, { contactId: 5, companyId: 902 });
  for (const [portalId, contactId, score] of [
    [71, 1, 9],
    [71, 1, 4],
    [71, 2, 8],
    [71, 3, 10],
    [72, 5, 2],
  ] as const)
    await aResponse(db, { portalId, contactId, score });
  // Already waiting: marked again (its version bumps), not duplicated.
  await anOutboxItem(db, 71, contactPropertiesOutbox, '2');
  await db.exec(BACKFILL.sql);
});
afterAll(async () => t?.cleanup());

describe('score-signal backfill', () => {
  it('marks every answering contact and their companies of active portals for write-back, once', async () => {
    const rows = await t.db.query<{ portal_id: string; kind: string; item_key: string; version: string }>(
      'SELECT portal_id, kind, item_key, version FROM outbox ORDER BY portal_id, kind, item_key',
    );
    expect(rows.rows.map((r) => [Number(r.portal_id), r.kind, r.item_key, Number(r.version)])).toEqual([
      [71, companyRollupOutbox.kind, '900', 1],
      [71, contactPropertiesOutbox.kind, '1', 1],
      [71, contactPropertiesOutbox.kind, '2', 2],
      [71, contactPropertiesOutbox.kind, '3', 1],
    ]);
  });
});
