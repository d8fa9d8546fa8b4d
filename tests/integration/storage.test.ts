import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, listMigrations } from '../../src/storage/migrate';
import { markOutbox, dueOutbox, completeOutbox, failOutbox } from '../../src/outbox';
import { openTestDb, type TestDb } from '../helpers/db';
import { TEST_DATABASE_URL } from '../helpers/env';
import { aContact, anInvitation, aPortal, aResponse } from '../factories';

describe(`storage on ${TEST_DATABASE_URL ? 'postgres' : 'pglite'}`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
    await aPortal(t.db, { portalId: 1 });
    await aPortal(t.db, { portalId: 2 });
  });
  afterAll(async () => t.cleanup());

  it('applies every migration once, and a second run applies nothing', async () => {
    const versions = (
      await t.db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')
    ).rows.map((r) => r.version);
    expect(versions).toEqual(listMigrations().map((m) => m.version));
    expect(await migrate(t.db)).toEqual([]);
  });

  it('rolls back a failed transaction completely', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await aContact(tx, 1, { contactId: 77, email: 'a@example.com' });
        // The contact factory upserts (as the product does), so the failing write is a duplicate milestone key.
        await anInvitation(tx, { portalId: 1, contactId: 77, milestoneKey: 'dup' });
        await anInvitation(tx, { portalId: 1, contactId: 77, milestoneKey: 'dup' });
      }),
    ).rejects.toThrow();
    const r = await t.db.query('SELECT 1 FROM contacts WHERE portal_id = 1 AND contact_id = 77');
    expect(r.rowCount).toBe(0);
  });

  it('rejects a response score outside 0–10 at the database too', async () => {
    await expect(
      aResponse(t.db, {
        portalId: 1,
        contactId: 5,
        score: 11,
        category: 'promoter',
        channel: 'manual',
        trigger: 'manual',
      }),
    ).rejects.toThrow();
  });

  it('keeps an outbox item that was marked again while its work was in flight', async () => {
    const now = new Date(Date.now() + 1000);
    await markOutbox(t.db, 1, 'contact-properties', '10');
    await markOutbox(t.db, 2, 'contact-properties', '10');
    const claimed = await dueOutbox(t.db, 'contact-properties', 10, now, 1);
    expect(claimed.map((i) => [i.portalId, i.key])).toEqual([[1, '10']]);
    await markOutbox(t.db, 1, 'contact-properties', '10');
    await completeOutbox(t.db, 'contact-properties', claimed);
    expect((await dueOutbox(t.db, 'contact-properties', 10, now, 1)).map((i) => i.key)).toEqual(['10']);
    // The other portal's item is untouched by portal 1's work.
    expect((await dueOutbox(t.db, 'contact-properties', 10, now, 2)).map((i) => i.key)).toEqual(['10']);
  });

  it('backs off a failed outbox item instead of dropping it', async () => {
    const now = new Date(Date.now() + 1000);
    const [item] = await dueOutbox(t.db, 'contact-properties', 1, now, 2);
    await failOutbox(t.db, 'contact-properties', [item!], 'HubSpot answered 503', now);
    expect(await dueOutbox(t.db, 'contact-properties', 10, now, 2)).toEqual([]);
    const later = await dueOutbox(t.db, 'contact-properties', 10, new Date(now.getTime() + 5000), 2);
    expect(later).toHaveLength(1);
    expect(later[0]!.attempts).toBe(1);
  });
});
