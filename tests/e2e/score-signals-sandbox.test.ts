import { describe, expect, it } from 'vitest';
import { runFullSync } from '../../src/contacts';
import { opsFeature } from '../../src/ops';
import { responsesFeature } from '../../src/responses';
import { recordResponse } from '../../src/responses/record';
import { TEST_PORTAL_ID } from '../helpers/env';
import { useSandboxPortal } from '../helpers/sandbox-portal';
import { waitFor } from '../helpers/wait';

// Score-change signals and the follow-up answer, end to end against the local HubSpot sandbox: setup creates the
// new properties and the "NPS At risk" list, the write-back fills them, the sandbox evaluates the list's filter
// on them, and the company gets its trend and at-risk count.

const PORTAL = TEST_PORTAL_ID;
const DAY = 86_400_000;
const SIGNALS = 'nps_score,nps_previous_score,nps_score_change,nps_trend,nps_last_follow_up_answer';
const app = useSandboxPortal({
  seed: { seed: 23, contacts: 30, companies: 3, deals: 0, tickets: 0 },
  features: [opsFeature, responsesFeature],
});
const { hubspot, listMembers } = app;
const contactProps = (id: number | string) => app.contactProps(id, SIGNALS);
const settled = async () =>
  (await app.s.deps.db.query(`SELECT 1 FROM outbox WHERE kind IN ('contact-properties', 'company-rollup') LIMIT 1`))
    .rows.length === 0;

describe('score-change signals in the sandbox', () => {
  it('setup creates the signal properties, the company trend and the "NPS At risk" list', async () => {
    await app.setUp();
    const trend = await hubspot<{ type: string; options: Array<{ value: string }> }>(
      '/crm/v3/properties/contacts/nps_trend',
    );
    expect(trend.type).toBe('enumeration');
    expect(trend.options.map((o) => o.value).sort()).toEqual(['declined', 'first', 'improved', 'unchanged']);
    for (const name of ['nps_previous_score', 'nps_score_change'])
      expect((await hubspot<{ type: string }>(`/crm/v3/properties/contacts/${name}`)).type).toBe('number');
    expect((await hubspot<{ type: string }>('/crm/v3/properties/contacts/nps_last_follow_up_answer')).type).toBe(
      'string',
    );
    expect((await hubspot<{ type: string }>('/crm/v3/properties/companies/nps_company_trend')).type).toBe(
      'enumeration',
    );
    expect((await hubspot<{ type: string }>('/crm/v3/properties/companies/nps_company_at_risk_contacts')).type).toBe(
      'number',
    );
    expect(await listMembers('NPS At risk')).toEqual([]);
  });

  it('changes land on the contacts; the at-risk list and the company follow them', async () => {
    await runFullSync(app.s.deps, PORTAL);
    const rows = await app.s.deps.db.query<{ contact_id: string; company_id: string }>(
      `SELECT contact_id, company_id FROM contacts
        WHERE portal_id = $1 AND company_id IS NOT NULL AND deleted_at IS NULL ORDER BY company_id, contact_id`,
      [PORTAL],
    );
    const companyId = rows.rows[0]!.company_id;
    const [fell, slipped, crossed, rose] = rows.rows
      .filter((r) => r.company_id === companyId)
      .map((r) => Number(r.contact_id));
    expect(rose).toBeDefined();
    const earlier = new Date(Date.now() - 30 * DAY);
    const record = (contactId: number, score: number, answeredAt?: Date, followUpAnswer?: string) =>
      recordResponse(app.s.deps, {
        portalId: PORTAL,
        contactId,
        score,
        followUpAnswer,
        channel: 'manual',
        trigger: 'manual',
        answeredAt,
      });
    // fell: promoter to detractor; slipped: −2 within promoter/passive; crossed: passive to detractor by 1; rose.
    for (const [id, before, now] of [
      [fell!, 9, 6],
      [slipped!, 10, 8],
      [crossed!, 7, 6],
      [rose!, 3, 9],
    ] as const) {
      await record(id, before, earlier);
      await record(id, now, undefined, id === fell ? 'Billing, then support' : undefined);
    }
    await app.s.deps.db.query(`UPDATE outbox SET due_at = now() WHERE kind = 'company-rollup'`);
    await waitFor(settled, { timeoutMs: 30_000, what: 'the write-back' });

    expect(await contactProps(fell!)).toMatchObject({
      nps_score: '6',
      nps_previous_score: '9',
      nps_score_change: '-3',
      nps_trend: 'declined',
      nps_last_follow_up_answer: 'Billing, then support',
    });
    expect(await contactProps(slipped!)).toMatchObject({ nps_score_change: '-2', nps_trend: 'declined' });
    expect(await contactProps(rose!)).toMatchObject({ nps_previous_score: '3', nps_trend: 'improved' });
    expect(await listMembers('NPS At risk')).toEqual([String(fell), String(crossed)].sort());

    const company = await hubspot<{ properties: Record<string, string | null> }>(
      `/crm/v3/objects/companies/${companyId}?properties=nps_company_trend,nps_company_at_risk_contacts`,
    );
    expect(company.properties).toMatchObject({ nps_company_trend: 'declined', nps_company_at_risk_contacts: '2' });

    // A new answer back up takes the contact out of the list.
    await record(fell!, 9);
    await app.s.deps.db.query(`UPDATE outbox SET due_at = now() WHERE kind = 'company-rollup'`);
    await waitFor(settled, { timeoutMs: 30_000, what: 'the write-back of the recovery' });
    expect(await contactProps(fell!)).toMatchObject({ nps_previous_score: '6', nps_trend: 'improved' });
    expect(await listMembers('NPS At risk')).toEqual([String(crossed)]);
  });
});
