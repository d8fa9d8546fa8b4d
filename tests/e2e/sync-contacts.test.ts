import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox';
import { requestContactSync, runFullSync } from '../../src/contacts';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app';
import type { TestServer } from '../helpers/server';
import { TEST_PORTAL_ID } from '../helpers/env';
import { waitFor } from '../helpers/wait';
import { anInvitation } from '../factories';

// The real app against the local HubSpot sandbox: a full sync of a seeded portal, convergence after changes made
// while no webhooks flowed, and incremental updates through signed (duplicated, reordered) webhook deliveries.

const PORTAL = TEST_PORTAL_ID;
let sandbox: Sandbox;
let s: TestServer;
let rig: SandboxApp;

interface MirrorRow {
  contact_id: string;
  email: string | null;
  lastname: string | null;
  language: string | null;
  company_id: string | null;
  opted_out: boolean;
  email_bounced: boolean;
  deleted_at: Date | null;
  merged_into: string | null;
  erased_at: Date | null;
}
const mirror = async (id: string | number): Promise<MirrorRow | undefined> =>
  (
    await s.deps.db.query<MirrorRow>('SELECT * FROM contacts WHERE portal_id = $1 AND contact_id = $2', [
      PORTAL,
      String(id),
    ])
  ).rows[0];
const liveMirror = async () =>
  (
    await s.deps.db.query<MirrorRow>(
      'SELECT * FROM contacts WHERE portal_id = $1 AND deleted_at IS NULL ORDER BY contact_id',
      [PORTAL],
    )
  ).rows;
const sandboxContacts = () =>
  [...sandbox.portal(PORTAL).tables.contacts.all()].filter((c) => !c.archived).sort((a, b) => a.id - b.id);

beforeAll(async () => {
  rig = await startSandboxApp({
    seed: { seed: 7, contacts: 250, companies: 15, deals: 0, tickets: 0 },
    sandbox: { webhooks: { targetUrl: null } },
  });
  ({ sandbox, server: s } = rig);
});
afterAll(async () => {
  await rig?.close();
});

describe('contact sync against the sandbox', () => {
  it('mirrors every contact of the portal with its fields and primary company', async () => {
    const result = await runFullSync(s.deps, PORTAL);
    const seeded = sandbox.seedReport(PORTAL)!;
    expect(result).toMatchObject({ processed: 250, total: 250, created: 250, deleted: 0 });
    const rows = await liveMirror();
    expect(rows.map((r) => String(r.contact_id))).toEqual(sandboxContacts().map((c) => String(c.id)));
    for (const c of sandboxContacts().slice(0, 40)) {
      const row = rows.find((r) => String(r.contact_id) === String(c.id))!;
      expect(row.email ?? undefined).toBe(c.properties.email?.toLowerCase());
      expect(row.lastname).toBe(c.properties.lastname);
      expect(row.language).toBe(c.properties.hs_language);
      expect(row.company_id === null ? undefined : String(row.company_id)).toBe(c.properties.associatedcompanyid);
    }
    expect(rows.filter((r) => r.email === null).map((r) => String(r.contact_id))).toEqual(seeded.contactsWithoutEmail);
    expect(rows.filter((r) => r.opted_out).map((r) => String(r.contact_id))).toEqual(seeded.optedOutContacts);
    const companies = await s.deps.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM companies WHERE portal_id = $1 AND name IS NOT NULL',
      [PORTAL],
    );
    expect(Number(companies.rows[0]!.n)).toBe(
      new Set(
        sandboxContacts()
          .map((c) => c.properties.associatedcompanyid)
          .filter(Boolean),
      ).size,
    );
  });

  it('converges after changes made while no webhooks arrived: edits, deletions, new contacts and a merge', async () => {
    const [a, b, c, d] = sandboxContacts();
    sandbox.crm.updateContact(a!.id, { lastname: 'Renamed', hs_language: 'de' });
    sandbox.crm.deleteContact(b!.id);
    sandbox.crm.mergeContacts(c!.id, d!.id);
    const created = sandbox.crm.createContact({ email: 'newcomer@example.com', firstname: 'New', lastname: 'Comer' });

    const result = await runFullSync(s.deps, PORTAL);
    expect(result).toMatchObject({ processed: 249, created: 1, deleted: 2 });
    expect(await mirror(a!.id)).toMatchObject({ lastname: 'Renamed', language: 'de', deleted_at: null });
    expect((await mirror(b!.id))!.deleted_at).not.toBeNull();
    expect((await mirror(d!.id))!.deleted_at).not.toBeNull();
    expect(await mirror(created.id)).toMatchObject({ email: 'newcomer@example.com', deleted_at: null });
    const rows = await liveMirror();
    expect(rows.map((r) => [String(r.contact_id), r.email, r.lastname])).toEqual(
      sandboxContacts().map((x) => [
        String(x.id),
        x.properties.email?.toLowerCase() ?? null,
        x.properties.lastname ?? null,
      ]),
    );
  });
});

describe('the contacts.sync job', () => {
  it('runs a full sync in the background when a portal is installed', async () => {
    const before = await s.deps.db.query<{ run_id: string }>(
      `SELECT run_id FROM sync_state WHERE portal_id = $1 AND kind = 'contacts'`,
      [PORTAL],
    );
    await requestContactSync(s.deps, PORTAL);
    const done = await waitFor(
      async () => {
        const r = await s.deps.db.query<{ run_id: string; status: string; processed: number }>(
          `SELECT run_id, status, processed FROM sync_state WHERE portal_id = $1 AND kind = 'contacts'`,
          [PORTAL],
        );
        const row = r.rows[0];
        return row && row.status === 'done' && row.run_id !== before.rows[0]?.run_id ? row : undefined;
      },
      { what: 'the background sync to finish' },
    );
    expect(done.processed).toBe(sandboxContacts().length);
  });
});

describe('incremental updates from sandbox webhooks', () => {
  beforeAll(() => {
    sandbox.webhooks.configure({ targetUrl: `${s.url}/webhooks/hubspot`, duplicateRate: 0.5, reorder: true });
  });
  const settle = async () => {
    await sandbox.webhooks.flush();
    await waitFor(
      async () => {
        const r = await s.deps.db.query<{ n: string }>(
          `SELECT count(*) AS n FROM webhook_events WHERE status = 'pending'`,
        );
        return Number(r.rows[0]!.n) === 0;
      },
      { what: 'webhook events processed' },
    );
  };

  it('mirrors a new contact, a changed property and a deletion', async () => {
    const [x, y] = sandboxContacts();
    const created = sandbox.crm.createContact({
      email: 'hooked@example.com',
      firstname: 'Hook',
      lastname: 'Ed',
      hs_language: 'sv',
    });
    sandbox.crm.updateContact(x!.id, { email: 'changed-address@example.com' });
    sandbox.crm.deleteContact(y!.id);
    await settle();
    expect(await mirror(created.id)).toMatchObject({ email: 'hooked@example.com', language: 'sv', deleted_at: null });
    expect(await mirror(x!.id)).toMatchObject({ email: 'changed-address@example.com' });
    expect((await mirror(y!.id))!.deleted_at).not.toBeNull();
  });

  it('mirrors a hard bounce or an invalid address recorded by HubSpot, and its clearing', async () => {
    const [x, y] = sandboxContacts().slice(-2);
    sandbox.crm.updateContact(x!.id, { hs_email_hard_bounce_reason_enum: 'UNKNOWN_USER' });
    sandbox.crm.updateContact(y!.id, { hs_email_bad_address: 'true' });
    await settle();
    expect([(await mirror(x!.id))!.email_bounced, (await mirror(y!.id))!.email_bounced]).toEqual([true, true]);
    sandbox.crm.updateContact(x!.id, { hs_email_hard_bounce_reason_enum: '' });
    await settle();
    expect((await mirror(x!.id))!.email_bounced).toBe(false);
  });

  it('moves the survey history of a merged contact to the surviving one', async () => {
    const [primary, merged] = sandboxContacts();
    const now = new Date();
    await anInvitation(s.deps.db, {
      portalId: PORTAL,
      contactId: String(merged!.id),
      trigger: 'deal',
      milestoneKey: 'e2e-merge',
      status: 'sent',
      scheduledFor: now,
      sentAt: now,
    });
    sandbox.crm.mergeContacts(primary!.id, merged!.id);
    await settle();
    const loser = await mirror(merged!.id);
    expect(loser!.deleted_at).not.toBeNull();
    expect(String(loser!.merged_into)).toBe(String(primary!.id));
    const moved = await s.deps.db.query<{ contact_id: string }>(
      `SELECT contact_id FROM invitations WHERE milestone_key = 'e2e-merge'`,
    );
    expect(String(moved.rows[0]!.contact_id)).toBe(String(primary!.id));
  });

  it('erases a person on privacy deletion', async () => {
    const [person] = sandboxContacts();
    const email = person!.properties.email!;
    await anInvitation(s.deps.db, {
      portalId: PORTAL,
      contactId: String(person!.id),
      trigger: 'deal',
      milestoneKey: 'e2e-privacy',
      status: 'scheduled',
      scheduledFor: new Date(Date.now() + 86_400_000),
    });
    sandbox.crm.privacyDeleteContact(person!.id);
    await settle();
    expect(await mirror(person!.id)).toMatchObject({ email: null, lastname: null, erased_at: expect.any(Date) });
    const traces = await s.deps.db.query(
      `SELECT 1 FROM contacts WHERE lower(email) = lower($1) UNION ALL SELECT 1 FROM invitations WHERE milestone_key = 'e2e-privacy'
       UNION ALL SELECT 1 FROM webhook_events WHERE payload::text LIKE '%' || $1 || '%'`,
      [email],
    );
    expect(traces.rowCount).toBe(0);
  });
});
