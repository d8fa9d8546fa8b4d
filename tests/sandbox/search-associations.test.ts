import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Running } from './helpers';

let s: Running;
beforeAll(async () => {
  s = await startSandbox({ seed: { contacts: 400 }, rateLimits: { searchPerSecond: 1000 } });
});
afterAll(() => s.sandbox.close());

const search = (body: unknown) =>
  s.api('/crm/v3/objects/contacts/search', { method: 'POST', body: JSON.stringify(body) });

describe('CRM search', () => {
  it('filters with OR-ed filter groups of AND-ed filters and reports the total', async () => {
    const result = await s.client().crm.contacts.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            { propertyName: 'hs_language', operator: FilterOperatorEnum.Eq, value: 'da' },
            { propertyName: 'lifecyclestage', operator: FilterOperatorEnum.Eq, value: 'customer' },
          ],
        },
        { filters: [{ propertyName: 'hs_language', operator: FilterOperatorEnum.In, values: ['sv'] }] },
      ],
      properties: ['hs_language', 'lifecyclestage'],
      limit: 200,
    });
    expect(result.total).toBeGreaterThan(0);
    for (const r of result.results) {
      const { hs_language: lang, lifecyclestage: stage } = r.properties;
      expect(lang === 'sv' || (lang === 'da' && stage === 'customer')).toBe(true);
    }
  });

  it('supports HAS_PROPERTY, NOT_HAS_PROPERTY, NEQ, NOT_IN, GT/LT and CONTAINS_TOKEN', async () => {
    const report = s.sandbox.seedReport()!;
    const noEmail = await (
      await search({
        filterGroups: [{ filters: [{ propertyName: 'email', operator: 'NOT_HAS_PROPERTY' }] }],
        limit: 100,
      })
    ).json();
    expect(noEmail.results.map((r: { id: string }) => r.id).sort()).toEqual([...report.contactsWithoutEmail].sort());
    const withEmail = await (
      await search({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' }] }] })
    ).json();
    expect(withEmail.total).toBe(400 - report.contactsWithoutEmail.length);
    const notEn = await (
      await search({
        filterGroups: [
          {
            filters: [
              { propertyName: 'hs_language', operator: 'NEQ', value: 'en' },
              { propertyName: 'hs_language', operator: 'NOT_IN', values: ['da', 'sv'] },
            ],
          },
        ],
        properties: ['hs_language'],
        limit: 200,
      })
    ).json();
    expect(
      new Set(notEn.results.map((r: { properties: { hs_language: string } }) => r.properties.hs_language)),
    ).toEqual(new Set(['de', 'fr']));
    const first = Number(report.idRanges.contacts!.first);
    const range = await (
      await search({
        filterGroups: [
          {
            filters: [
              { propertyName: 'hs_object_id', operator: 'GT', value: String(first) },
              { propertyName: 'hs_object_id', operator: 'LT', value: String(first + 4) },
            ],
          },
        ],
      })
    ).json();
    expect(range.total).toBe(3);
    const someEmail = s.sandbox.crm.getContact(first + 1).properties.email!;
    const byDomain = await (
      await search({
        filterGroups: [
          { filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: `*@${someEmail.split('@')[1]}` }] },
        ],
      })
    ).json();
    expect(byDomain.total).toBeGreaterThan(0);
  });

  it('sorts, pages with after and refuses to page past 10,000 results', async () => {
    const page1 = await (
      await search({
        sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
        limit: 5,
        properties: ['createdate'],
      })
    ).json();
    const dates = page1.results.map((r: { properties: { createdate: string } }) => r.properties.createdate);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(page1.paging.next.after).toBe('5');
    const beyond = await search({ after: '10000', limit: 10 });
    expect(beyond.status).toBe(400);
    expect((await search({ limit: 201 })).status).toBe(400);
  });

  it('answers search without rate-limit headers, and beyond 5 requests per second with the secondly 429', async () => {
    const res = await search({ limit: 1 });
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBeNull();
    s.sandbox.rateLimits.configure({ searchPerSecond: 5 });
    const statuses = await Promise.all(Array.from({ length: 7 }, () => search({ limit: 1 })));
    const limited = statuses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(2);
    expect(await limited[0]!.json()).toMatchObject({
      message: 'You have reached your secondly limit.',
      errorType: 'RATE_LIMIT',
    });
    s.sandbox.rateLimits.configure({ searchPerSecond: 1000 });
  });
});

describe('Associations v4', () => {
  it('lists a contact’s primary company with both the Primary (1) and unlabeled (279) types', async () => {
    const contact = s.sandbox.seedReport()!.idRanges.contacts!.first;
    const page = await s.client().crm.associations.v4.basicApi.getPage('contacts', contact, 'companies');
    expect(page.results).toHaveLength(1);
    expect(page.results[0]!.associationTypes).toEqual([
      { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
      { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
    ]);
    const companyId = String(page.results[0]!.toObjectId);
    const back = await s
      .client()
      .crm.associations.v4.basicApi.getPage('companies', companyId, 'contacts', undefined, 500);
    expect(back.results.map((r) => String(r.toObjectId))).toContain(contact);
  });

  it('creates default associations in both directions and deletes them in both directions', async () => {
    const contact = s.sandbox.crm.createContact({ email: 'assoc@example.com' });
    const ticket = s.sandbox.crm.createRecord('tickets', { subject: 'Help' });
    const created = await s
      .client()
      .crm.associations.v4.basicApi.createDefault('tickets', ticket.id, 'contacts', contact.id);
    expect(created.results.map((r) => r.associationSpec.associationTypeId).sort()).toEqual([15, 16]);
    expect(s.sandbox.crm.getContact(contact.id).associations.tickets).toEqual([
      { id: ticket.id, types: [{ typeId: 15, label: null }] },
    ]);
    await s.client().crm.associations.v4.basicApi.archive('contacts', contact.id, 'tickets', ticket.id);
    expect(s.sandbox.crm.getRecord('tickets', ticket.id).associations.contacts).toBeUndefined();
  });

  it('a new Primary company replaces the old one and updates associatedcompanyid', async () => {
    const [c1, c2] = [
      s.sandbox.crm.createRecord('companies', { name: 'One' }),
      s.sandbox.crm.createRecord('companies', { name: 'Two' }),
    ];
    const contact = s.sandbox.crm.createContact({ email: 'primary@example.com', associatedcompanyid: c1.id });
    await s
      .client()
      .crm.associations.v4.basicApi.create('contacts', contact.id, 'companies', c2.id, [
        { associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 1 },
      ]);
    const view = s.sandbox.crm.getContact(contact.id);
    expect(view.properties.associatedcompanyid).toBe(c2.id);
    expect(view.associations.companies).toEqual([
      { id: c1.id, types: [{ typeId: 279, label: null }] },
      {
        id: c2.id,
        types: [
          { typeId: 1, label: 'Primary' },
          { typeId: 279, label: null },
        ],
      },
    ]);
  });

  it('batch-reads associations, reporting ids without any as a 207 error', async () => {
    const report = s.sandbox.seedReport()!;
    const lonely = s.sandbox.crm.createContact({ email: 'lonely@example.com' });
    const res = await s.client().crm.associations.v4.batchApi.getPage('contacts', 'companies', {
      inputs: [{ id: report.idRanges.contacts!.first }, { id: lonely.id }],
    });
    expect(res.results).toHaveLength(1);
    expect(res.results[0]!._from.id).toBe(report.idRanges.contacts!.first);
    expect(res.results[0]!.to[0]!.associationTypes.map((t) => t.typeId)).toEqual([1, 279]);
    expect('errors' in res && res.errors?.[0]?.context).toEqual({ fromObjectId: [lonely.id] });
  });

  it('refuses an association type that does not exist for the pair', async () => {
    const contact = s.sandbox.seedReport()!.idRanges.contacts!.first;
    const deal = s.sandbox.seedReport()!.idRanges.deals!.first;
    const res = await s.api(`/crm/v4/objects/contacts/${contact}/associations/deals/${deal}`, {
      method: 'PUT',
      body: JSON.stringify([{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }]),
    });
    expect(res.status).toBe(400);
  });
});
