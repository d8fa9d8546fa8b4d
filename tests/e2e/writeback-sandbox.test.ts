import { describe, expect, it } from 'vitest';
import { runFullSync } from '../../src/contacts';
import { opsFeature } from '../../src/ops';
import { responsesFeature } from '../../src/responses';
import { companyNps } from '../../src/responses/company-rollup';
import { recordResponse } from '../../src/responses/record';
import { TEST_PORTAL_ID } from '../helpers/env';
import { useSandboxPortal } from '../helpers/sandbox-portal';
import { waitFor } from '../helpers/wait';

// The real app against the local HubSpot sandbox: setup creates the properties and lists, answers recorded in the
// app show up on the sandbox's contacts and companies, and the dynamic lists follow nps_category.

const PORTAL = TEST_PORTAL_ID;
const app = useSandboxPortal({
  seed: { seed: 11, contacts: 40, companies: 4, deals: 0, tickets: 0 },
  features: [opsFeature, responsesFeature],
});
const { hubspot, listMembers } = app;
const contactProps = (id: number | string) =>
  app.contactProps(
    id,
    'nps_score,nps_category,nps_last_comment,nps_response_count,nps_last_response_at,nps_survey_status',
  );

describe('answers written back to the sandbox', () => {
  it('sets the portal up at start: nps properties and the three dynamic lists exist in HubSpot', async () => {
    await app.setUp();
    const category = await hubspot<{ type: string; options: Array<{ value: string }> }>(
      '/crm/v3/properties/contacts/nps_category',
    );
    expect(category.type).toBe('enumeration');
    expect(category.options.map((o) => o.value).sort()).toEqual(['detractor', 'passive', 'promoter']);
    expect((await hubspot<{ type: string }>('/crm/v3/properties/companies/nps_company_score')).type).toBe('number');
    for (const name of ['NPS Promoters', 'NPS Passives', 'NPS Detractors']) expect(await listMembers(name)).toEqual([]);
  });

  it('an answer shows on the contact, the company and in the segment lists; a changed answer replaces it', async () => {
    await runFullSync(app.s.deps, PORTAL);
    const rows = await app.s.deps.db.query<{ contact_id: string; company_id: string }>(
      'SELECT contact_id, company_id FROM contacts WHERE portal_id = $1 AND company_id IS NOT NULL AND deleted_at IS NULL ORDER BY company_id, contact_id',
      [PORTAL],
    );
    const companyId = rows.rows[0]!.company_id;
    const [promoter, detractor, passive] = rows.rows
      .filter((r) => r.company_id === companyId)
      .map((r) => Number(r.contact_id));
    expect(passive).toBeDefined();
    const record = (contactId: number, score: number, comment?: string) =>
      recordResponse(app.s.deps, { portalId: PORTAL, contactId, score, comment, channel: 'manual', trigger: 'manual' });
    await record(promoter!, 4, 'first thoughts');
    await record(detractor!, 2, 'Too slow, "really"');
    await record(passive!, 8);
    await record(promoter!, 10, 'Changed my mind: great!');

    await waitFor(async () => (await contactProps(String(promoter))).nps_response_count === '2', {
      what: 'the promoter’s properties in the sandbox',
    });
    const answeredAt = (
      await app.s.deps.db.query<{ answered_at: Date }>(
        'SELECT max(answered_at) AS answered_at FROM responses WHERE contact_id = $1',
        [promoter],
      )
    ).rows[0]!.answered_at;
    expect(await contactProps(String(promoter))).toMatchObject({
      nps_score: '10',
      nps_category: 'promoter',
      nps_last_comment: 'Changed my mind: great!',
      nps_response_count: '2',
      nps_survey_status: 'answered',
      nps_last_response_at: new Date(answeredAt).toISOString(),
    });
    await waitFor(async () => (await contactProps(String(passive))).nps_category === 'passive', {
      what: 'the passive contact',
    });
    expect(await contactProps(String(detractor))).toMatchObject({
      nps_score: '2',
      nps_category: 'detractor',
      nps_last_comment: 'Too slow, "really"',
    });

    expect(await listMembers('NPS Promoters')).toEqual([String(promoter)]);
    expect(await listMembers('NPS Detractors')).toEqual([String(detractor)]);
    expect(await listMembers('NPS Passives')).toEqual([String(passive)]);

    // The company rollup waits to coalesce bursts of answers; pull it forward rather than wait it out.
    await app.s.deps.db.query(`UPDATE outbox SET due_at = now() WHERE kind = 'company-rollup'`);
    const expected = await companyNps(app.s.deps.db, PORTAL, Number(companyId), new Date());
    expect(expected).toMatchObject({ n: 3, promoters: 1, passives: 1, detractors: 1, nps: 0 });
    await waitFor(
      async () =>
        (
          await hubspot<{ properties: Record<string, string | null> }>(
            `/crm/v3/objects/companies/${companyId}?properties=nps_company_respondents`,
          )
        ).properties.nps_company_respondents === '3',
      { what: 'the company NPS in the sandbox' },
    );
    const company = await hubspot<{ properties: Record<string, string | null> }>(
      `/crm/v3/objects/companies/${companyId}?properties=nps_company_score,nps_company_margin,nps_company_promoters,nps_company_passives,nps_company_detractors`,
    );
    expect(company.properties).toMatchObject({
      nps_company_score: '0',
      nps_company_margin: String(expected.marginOfError),
      nps_company_promoters: '1',
      nps_company_passives: '1',
      nps_company_detractors: '1',
    });
  });
});
