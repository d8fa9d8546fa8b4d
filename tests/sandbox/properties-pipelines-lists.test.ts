import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Running } from './helpers';

let s: Running;
beforeAll(async () => {
  s = await startSandbox({ seed: { contacts: 200 } });
});
afterAll(() => s.sandbox.close());

const npsCategory = {
  name: 'nps_category',
  label: 'NPS category',
  type: 'enumeration',
  fieldType: 'select',
  groupName: 'nps',
  options: [
    { label: 'Promoter', value: 'promoter' },
    { label: 'Passive', value: 'passive' },
    { label: 'Detractor', value: 'detractor' },
  ],
};

describe('Properties', () => {
  it('creates a group and an enumeration property, then refuses to create it twice with 409', async () => {
    const props = s.client().crm.properties;
    await props.groupsApi.create('contacts', { name: 'nps', label: 'NPS', displayOrder: 1 });
    const created = await props.coreApi.create('contacts', npsCategory as never);
    expect(created).toMatchObject({ name: 'nps_category', type: 'enumeration', groupName: 'nps' });
    expect(created.options.map((o) => o.value)).toEqual(['promoter', 'passive', 'detractor']);
    await expect(props.coreApi.create('contacts', npsCategory as never)).rejects.toMatchObject({ code: 409 });
    const group = await props.groupsApi.getByName('contacts', 'nps');
    expect(group.label).toBe('NPS');
  });

  it('validates writes against a new property: options must exist, numbers must be numbers', async () => {
    await s.client().crm.properties.coreApi.create('contacts', {
      name: 'nps_score',
      label: 'NPS score',
      type: 'number',
      fieldType: 'number',
      groupName: 'nps',
    } as never);
    const contact = s.sandbox.seedReport()!.idRanges.contacts!.first;
    const patch = (properties: Record<string, string>) =>
      s.api(`/crm/v3/objects/contacts/${contact}`, { method: 'PATCH', body: JSON.stringify({ properties }) });
    expect((await patch({ nps_category: 'fan' })).status).toBe(400);
    expect((await (await patch({ nps_score: 'ten' })).json()).message).toContain('INVALID_INTEGER');
    const ok = await patch({ nps_category: 'promoter', nps_score: '10' });
    expect((await ok.json()).properties).toMatchObject({ nps_category: 'promoter', nps_score: '10' });
  });

  it('refuses a property in a missing group, with an invalid name or an hs_ prefix', async () => {
    const create = (body: object) =>
      s.api('/crm/v3/properties/contacts', { method: 'POST', body: JSON.stringify(body) });
    const base = { label: 'X', type: 'string', fieldType: 'text', groupName: 'nps' };
    expect((await create({ ...base, name: 'x', groupName: 'nope' })).status).toBe(400);
    expect((await create({ ...base, name: 'Bad Name' })).status).toBe(400);
    expect((await create({ ...base, name: 'hs_mine' })).status).toBe(400);
    expect((await create({ ...base, name: 'x', fieldType: 'number' })).status).toBe(400);
  });

  it('lists HubSpot’s standard properties, including the read-only NPS rating', async () => {
    const all = await s.client().crm.properties.coreApi.getAll('contacts');
    const names = all.results.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'email',
        'hs_language',
        'hubspot_owner_id',
        'lifecyclestage',
        'hs_email_optout',
        'hs_feedback_last_nps_rating',
      ]),
    );
    const rating = await s.client().crm.properties.coreApi.getByName('contacts', 'hs_feedback_last_nps_rating');
    expect(rating.modificationMetadata?.readOnlyValue).toBe(true);
  });
});

describe('Pipelines and owners', () => {
  it('has the default sales pipeline, a custom pipeline with numeric stage ids, and the support pipeline', async () => {
    const deals = await s.client().crm.pipelines.pipelinesApi.getAll('deals');
    expect(deals.results.map((p) => p.id)).toEqual(['default', '87654321']);
    expect(deals.results[0]!.stages.map((st) => st.id)).toEqual([
      'appointmentscheduled',
      'qualifiedtobuy',
      'presentationscheduled',
      'decisionmakerboughtin',
      'contractsent',
      'closedwon',
      'closedlost',
    ]);
    expect(deals.results[1]!.stages.every((st) => /^\d+$/.test(st.id))).toBe(true);
    const tickets = await s.client().crm.pipelines.pipelinesApi.getAll('tickets');
    expect(tickets.results[0]!.id).toBe('0');
    expect(tickets.results[0]!.stages.map((st) => [st.id, st.metadata?.ticketState])).toEqual([
      ['1', 'OPEN'],
      ['2', 'OPEN'],
      ['3', 'OPEN'],
      ['4', 'CLOSED'],
    ]);
  });

  it('lists owners with paging and finds one by email', async () => {
    const page = await s.client().crm.owners.ownersApi.getPage(undefined, undefined, 5);
    expect(page.results).toHaveLength(5);
    expect(page.paging?.next?.after).toBeTruthy();
    const rest = await s.client().crm.owners.ownersApi.getPage(undefined, page.paging!.next!.after, 5);
    expect(rest.results).toHaveLength(3);
    const email = page.results[2]!.email!;
    const byEmail = await s.client().crm.owners.ownersApi.getPage(email.toUpperCase());
    expect(byEmail.results.map((o) => o.id)).toEqual([page.results[2]!.id]);
  });

  it('keeps a deal’s stage inside its pipeline', async () => {
    const deal = s.sandbox.crm.createRecord('deals', {
      dealname: 'X',
      pipeline: 'default',
      dealstage: 'qualifiedtobuy',
    });
    const res = await s.api(`/crm/v3/objects/deals/${deal.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ properties: { dealstage: '87654324' } }),
    });
    expect(res.status).toBe(400);
    const moved = await s.api(`/crm/v3/objects/deals/${deal.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ properties: { pipeline: '87654321', dealstage: '87654324' } }),
    });
    expect(moved.status).toBe(200);
  });
});

describe('Lists v3', () => {
  const promoters = {
    name: 'NPS promoters',
    objectTypeId: '0-1',
    processingType: 'DYNAMIC',
    filterBranch: {
      filterBranchType: 'OR',
      filters: [],
      filterBranches: [
        {
          filterBranchType: 'AND',
          filterBranches: [],
          filters: [
            {
              filterType: 'PROPERTY',
              property: 'nps_category',
              operation: { operationType: 'ENUMERATION', operator: 'IS_ANY_OF', values: ['promoter'] },
            },
          ],
        },
      ],
    },
  };

  it('when a contact becomes a promoter, it appears in the dynamic promoters list', async () => {
    const created = await (await s.api('/crm/v3/lists/', { method: 'POST', body: JSON.stringify(promoters) })).json();
    const listId = created.list.listId;
    const fan = s.sandbox.crm.createContact({ email: 'fan@example.com' });
    const before = await s.client().crm.lists.membershipsApi.getPage(listId);
    expect(before.results.map((m) => m.recordId)).not.toContain(fan.id);
    await s.client().crm.contacts.basicApi.update(fan.id, { properties: { nps_category: 'promoter' } });
    const after = await s.client().crm.lists.membershipsApi.getPage(listId);
    expect(after.results.map((m) => m.recordId)).toContain(fan.id);
    await s.client().crm.contacts.basicApi.update(fan.id, { properties: { nps_category: 'detractor' } });
    const later = await s.client().crm.lists.membershipsApi.getPage(listId);
    expect(later.results.map((m) => m.recordId)).not.toContain(fan.id);
  });

  it('finds a list by name and by search, and refuses a duplicate name', async () => {
    const byName = await s.client().crm.lists.listsApi.getByName('NPS promoters', '0-1');
    expect(byName.list.processingType).toBe('DYNAMIC');
    const found = await s.client().crm.lists.listsApi.doSearch({ query: 'promoters' } as never);
    expect(found.lists.map((l) => l.name)).toContain('NPS promoters');
    const dup = await s.api('/crm/v3/lists/', { method: 'POST', body: JSON.stringify(promoters) });
    expect(dup.status).toBe(400);
    const bad = await s.api('/crm/v3/lists/', {
      method: 'POST',
      body: JSON.stringify({ ...promoters, name: 'bad', filterBranch: { filterBranchType: 'AND', filters: [] } }),
    });
    expect(bad.status).toBe(400);
  });
});
