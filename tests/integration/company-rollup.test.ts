import { describe, expect, it } from 'vitest';
import { opsFeature } from '../../src/ops';
import { responsesFeature } from '../../src/responses';
import { companyNps } from '../../src/responses/company-rollup';
import { COMPANY_ROLLUP_DELAY_MS, recordResponse } from '../../src/responses/record';
import { markOutbox } from '../../src/outbox';
import { TEST_PORTAL_ID } from '../helpers/env';
import { hubspotAlreadySetUp, useNockedServer } from '../helpers/nocked-server';
import { waitFor } from '../helpers/wait';
import { someContacts } from '../factories';

describe('company NPS write-back', () => {
  const companyWrites: Array<{ id: string; properties: Record<string, string> }> = [];
  const server = useNockedServer({
    start: { features: [opsFeature, responsesFeature] },
    before: () =>
      hubspotAlreadySetUp()
        .post('/crm/v3/objects/contacts/batch/update')
        .reply((_uri, body: any) => [200, { status: 'COMPLETE', results: body.inputs }])
        .post('/crm/v3/objects/companies/batch/update')
        .reply((_uri, body: any) => {
          companyWrites.push(...body.inputs);
          return [200, { status: 'COMPLETE', results: body.inputs }];
        }),
    seed: (s) =>
      someContacts(s.deps.db, TEST_PORTAL_ID, [
        { contactId: 1, companyId: 900 },
        { contactId: 2, companyId: 900 },
        { contactId: 3, companyId: 900 },
        { contactId: 4, companyId: 900 },
        { contactId: 5, companyId: 900 },
        { contactId: 6, companyId: 901 },
      ]),
  });

  const pullRollupsForward = () =>
    server().deps.db.query(`UPDATE outbox SET due_at = now() WHERE kind = 'company-rollup'`);
  const latestFor = (companyId: string) => [...companyWrites].reverse().find((w) => w.id === companyId)?.properties;
  const settled = async () =>
    (
      await server().deps.db.query(
        `SELECT 1 FROM outbox WHERE kind IN ('company-rollup', 'contact-properties') LIMIT 1`,
      )
    ).rows.length === 0;

  it('waits a little after an answer before recomputing the company, so a burst of answers costs one write', async () => {
    await recordResponse(server().deps, {
      portalId: TEST_PORTAL_ID,
      contactId: 1,
      score: 5,
      channel: 'manual',
      trigger: 'manual',
      answeredAt: new Date(Date.now() - 2 * 86_400_000),
    });
    const item = await server().deps.db.query<{ wait: number }>(
      `SELECT extract(epoch FROM due_at - now()) AS wait FROM outbox WHERE kind = 'company-rollup' AND item_key = '900'`,
    );
    expect(Number(item.rows[0]!.wait) * 1000).toBeGreaterThan(COMPANY_ROLLUP_DELAY_MS - 5_000);
  });

  it('writes each company its NPS over its contacts’ current answers, with margin and category counts', async () => {
    const record = (contactId: number, score: number, answeredAt?: Date) =>
      recordResponse(server().deps, {
        portalId: TEST_PORTAL_ID,
        contactId,
        score,
        channel: 'manual',
        trigger: 'manual',
        answeredAt,
      });
    await record(1, 2, new Date(Date.now() - 86_400_000)); // changed later: only the latest counts
    await record(1, 10);
    await record(2, 9);
    await record(3, 3);
    await record(4, 8);
    await record(5, 2, new Date(Date.now() - 2 * 365 * 86_400_000)); // expired: does not count
    await record(6, 9);
    // Rollups wait COMPANY_ROLLUP_DELAY_MS to coalesce bursts of answers; the test does not wait that out.
    await pullRollupsForward();
    await waitFor(settled, { what: 'the rollups to be written' });

    // 2 promoters, 1 passive, 1 detractor: NPS 25; margin 1.96·sqrt((0.75 − 0.25²)/4)·100 = 81.3.
    expect(latestFor('900')).toEqual({
      nps_company_score: '25',
      nps_company_margin: '81.3',
      nps_company_respondents: '4',
      nps_company_promoters: '2',
      nps_company_passives: '1',
      nps_company_detractors: '1',
      // Contact 1 went from 2 to 10, the others answered for the first time.
      nps_company_trend: 'improved',
      nps_company_at_risk_contacts: '0',
    });
    expect(latestFor('901')).toMatchObject({
      nps_company_score: '100',
      nps_company_margin: '',
      nps_company_respondents: '1',
    });
    const summary = await companyNps(server().deps.db, TEST_PORTAL_ID, 900, new Date());
    expect(summary).toMatchObject({
      nps: 25,
      marginOfError: 81.3,
      n: 4,
      promoters: 2,
      passives: 1,
      detractors: 1,
      tooFew: true,
    });
  });

  it('recomputes both companies when a contact moves from one to the other', async () => {
    await server().deps.db.query(`UPDATE contacts SET company_id = 901 WHERE portal_id = $1 AND contact_id = 4`, [
      TEST_PORTAL_ID,
    ]);
    // What the contact sync does when a contact's primary company changes.
    await markOutbox(server().deps.db, TEST_PORTAL_ID, 'company-rollup', '900');
    await markOutbox(server().deps.db, TEST_PORTAL_ID, 'company-rollup', '901');
    await waitFor(async () => (await settled()) && latestFor('900')?.nps_company_respondents === '3', {
      what: 'the rollups after the move',
    });
    expect(latestFor('900')).toMatchObject({
      nps_company_score: '33.3',
      nps_company_promoters: '2',
      nps_company_passives: '0',
      nps_company_detractors: '1',
      // Contact 1 went from 2 to 10, the others answered for the first time.
      nps_company_trend: 'improved',
      nps_company_at_risk_contacts: '0',
    });
    expect(latestFor('901')).toMatchObject({
      nps_company_score: '50',
      nps_company_respondents: '2',
      nps_company_promoters: '1',
      nps_company_passives: '1',
    });
  });
});
