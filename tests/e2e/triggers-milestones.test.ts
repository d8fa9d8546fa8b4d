import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox';
import { duplicatesSuppressed } from '../../src/triggers';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app';
import type { TestServer } from '../helpers/server';
import { TEST_PORTAL_ID } from '../helpers/env';
import { waitFor } from '../helpers/wait';

// Milestones end to end: people move deals and tickets in the sandbox, the sandbox delivers signed webhooks
// (half of them twice, all reordered), and the app schedules exactly one invitation per contact and milestone.

const PORTAL = TEST_PORTAL_ID;
let sandbox: Sandbox;
let s: TestServer;
let rig: SandboxApp;

async function settle(): Promise<void> {
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
}

const invitations = async (objectType: string, objectId: string) =>
  (
    await s.deps.db.query<{ contact_id: string; status: string; skip_reason: string | null; milestone_key: string }>(
      'SELECT contact_id, status, skip_reason, milestone_key FROM invitations WHERE source_object_type = $1 AND source_object_id = $2 ORDER BY contact_id',
      [objectType, objectId],
    )
  ).rows.map((r) => ({ ...r, contact_id: String(r.contact_id) }));
const toContacts = (ids: string[], typeId: number) =>
  ids.map((id) => ({ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] }));

beforeAll(async () => {
  rig = await startSandboxApp({
    seed: { seed: 11, contacts: 120, companies: 10, deals: 0, tickets: 0 },
    webhooks: { duplicateRate: 0.5, reorder: true, seed: 5 },
  });
  ({ sandbox, server: s } = rig);
});
afterAll(async () => {
  await rig?.close();
});

describe('milestone surveys against the sandbox', () => {
  it('schedules one survey per contact for a won deal and a closed ticket, skipping with reasons, and never twice', async () => {
    const seeded = sandbox.seedReport(PORTAL)!;
    const all = [...sandbox.portal(PORTAL).tables.contacts.all()].map((c) => String(c.id));
    const reachable = all.filter(
      (id) => !seeded.contactsWithoutEmail.includes(id) && !seeded.optedOutContacts.includes(id),
    );
    const [alice, bob] = reachable;
    const noEmail = seeded.contactsWithoutEmail[0]!;
    const optedOut = seeded.optedOutContacts[0]!;
    const deal = sandbox.crm.createRecord(
      'deals',
      { dealname: 'E2E deal', pipeline: 'default', dealstage: 'contractsent' },
      { associations: toContacts([alice!, noEmail, optedOut], 3) },
    );
    const ticket = sandbox.crm.createRecord(
      'tickets',
      { subject: 'E2E ticket', hs_pipeline: '0', hs_pipeline_stage: '1' },
      { associations: toContacts([bob!, alice!], 16) },
    );
    await settle();
    const before = await duplicatesSuppressed(s.deps.metrics);

    sandbox.crm.moveDealToStage(deal.id, 'closedwon');
    sandbox.crm.moveTicketToStage(ticket.id, '4');
    await settle();

    const dealInvitations = await invitations('deal', deal.id);
    const ticketInvitations = await invitations('ticket', ticket.id);
    expect(dealInvitations.filter((i) => i.contact_id !== alice)).toEqual(
      [
        {
          contact_id: noEmail,
          status: 'skipped',
          skip_reason: 'no_email',
          milestone_key: `deal:${deal.id}:closedwon:contact:${noEmail}`,
        },
        {
          contact_id: optedOut,
          status: 'skipped',
          skip_reason: 'opted_out',
          milestone_key: `deal:${deal.id}:closedwon:contact:${optedOut}`,
        },
      ].sort((a, b) => a.contact_id.localeCompare(b.contact_id)),
    );
    expect(ticketInvitations.find((i) => i.contact_id === bob)).toMatchObject({
      status: 'scheduled',
      milestone_key: `ticket:${ticket.id}:4:contact:${bob}`,
    });
    // Alice is on both: whichever milestone was processed first is scheduled, the other waits out her quiet period.
    const alices = [...dealInvitations, ...ticketInvitations]
      .filter((i) => i.contact_id === alice)
      .map((i) => i.skip_reason ?? i.status)
      .sort();
    expect(alices).toEqual(['quiet_period', 'scheduled']);

    // The deal goes back and is won again: same milestone, nothing new.
    sandbox.crm.moveDealToStage(deal.id, 'contractsent');
    sandbox.crm.moveDealToStage(deal.id, 'closedwon');
    await settle();
    expect(await invitations('deal', deal.id)).toEqual(dealInvitations);
    expect(await duplicatesSuppressed(s.deps.metrics)).toBeGreaterThanOrEqual(before + 3);

    const summary = await (
      await fetch(`${s.url}/api/invitations/skips/summary`, {
        headers: { authorization: `Bearer ${s.config.adminToken}` },
      })
    ).json();
    expect(summary.byReason).toMatchObject({ no_email: 1, opted_out: 1, quiet_period: 1 });
  });
});
