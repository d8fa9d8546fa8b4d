import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Running } from './helpers';

let s: Running;
beforeAll(async () => {
  s = await startSandbox({ seed: { contacts: 1000 }, rateLimits: { enabled: false } });
});
afterAll(() => s.sandbox.close());

describe('CRM objects through the real SDK', () => {
  it('pages through 1,000 seeded contacts with getAll, each exactly once', async () => {
    const all = await s.client().crm.contacts.getAll(100, undefined, ['email', 'hs_language']);
    expect(all).toHaveLength(1000);
    expect(new Set(all.map((c) => c.id)).size).toBe(1000);
    expect(Object.keys(all[0]!.properties).sort()).toEqual([
      'createdate',
      'email',
      'hs_language',
      'hs_object_id',
      'lastmodifieddate',
    ]);
  });

  it('returns paging.next.after until the last page, and default properties when none are named', async () => {
    const first = await s.client().crm.contacts.basicApi.getPage(10);
    expect(first.results).toHaveLength(10);
    expect(first.paging?.next?.after).toBeTruthy();
    expect(Object.keys(first.results[0]!.properties).sort()).toEqual([
      'createdate',
      'email',
      'firstname',
      'hs_object_id',
      'lastmodifieddate',
      'lastname',
    ]);
    expect(first.results[0]!.createdAt).toBeInstanceOf(Date);
    const last = await s.client().crm.contacts.basicApi.getPage(100, s.sandbox.seedReport()!.idRanges.contacts!.last);
    expect(last.results).toHaveLength(1);
    expect(last.paging).toBeUndefined();
  });

  it('answers a missing record with HubSpot’s 404 error shape', async () => {
    const res = await s.api('/crm/v3/objects/contacts/42');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      status: 'error',
      category: 'OBJECT_NOT_FOUND',
      correlationId: expect.any(String),
    });
  });

  it('creates a contact with an association to its company and reads it back with ?associations', async () => {
    const company = s.sandbox.seedReport()!.idRanges.companies!.first;
    const created = await s.client().crm.contacts.basicApi.create({
      properties: { email: 'New.Person@Example.com', firstname: 'New' },
      associations: [
        { to: { id: company }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 279 }] },
      ],
    });
    expect(created.properties.email).toBe('new.person@example.com');
    const read = await s.client().crm.contacts.basicApi.getById(created.id, ['email'], undefined, ['companies']);
    expect(read.associations?.companies?.results).toEqual([{ id: company, type: 'contact_to_company_unlabeled' }]);
  });

  it('refuses a second contact with the same email with 409 naming the existing id', async () => {
    const res = await s.api('/crm/v3/objects/contacts', {
      method: 'POST',
      body: JSON.stringify({ properties: { email: 'new.person@example.com' } }),
    });
    expect(res.status).toBe(409);
    expect((await res.json()).message).toMatch(/^Contact already exists\. Existing ID: \d+$/);
  });

  it('rejects unknown properties, bad options, non-numbers and read-only values with VALIDATION_ERROR details', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ favourite_colour: 'blue' }, 'PROPERTY_DOESNT_EXIST'],
      [{ hs_language: 'klingon' }, 'INVALID_OPTION'],
      [{ hs_object_id: '5' }, 'READ_ONLY_VALUE'],
      [{ hs_email_optout: 'true' }, 'READ_ONLY_VALUE'],
      [{ hubspot_owner_id: '123' }, 'INVALID_OWNER_ID'],
    ];
    for (const [properties, code] of cases) {
      const res = await s.api('/crm/v3/objects/contacts', { method: 'POST', body: JSON.stringify({ properties }) });
      const body = await res.json();
      expect(res.status).toBe(400);
      expect(body.category).toBe('VALIDATION_ERROR');
      expect(body.message).toMatch(/^Property values were not valid: \[/);
      expect(JSON.parse(body.message.slice('Property values were not valid: '.length))[0]).toMatchObject({
        error: code,
        name: Object.keys(properties)[0],
      });
    }
    const deal = await s.api('/crm/v3/objects/deals', {
      method: 'POST',
      body: JSON.stringify({ properties: { amount: 'lots' } }),
    });
    expect((await deal.json()).message).toContain('INVALID_INTEGER');
  });

  it('when a batch update names a missing id, the rest is applied and a 207 lists the missing id', async () => {
    const ids = [s.sandbox.seedReport()!.idRanges.contacts!.first, '5100999999'];
    const result = await s.client().crm.contacts.batchApi.update({
      inputs: ids.map((id) => ({ id, properties: { jobtitle: 'Chief Listener' } })),
    });
    expect(result.status).toBe('COMPLETE');
    expect(result.results).toHaveLength(1);
    expect(result.results[0]!.properties.jobtitle).toBe('Chief Listener');
    expect('errors' in result && result.errors?.[0]).toMatchObject({
      category: 'OBJECT_NOT_FOUND',
      context: { ids: ['5100999999'] },
    });
  });

  it('refuses batches over 100 inputs and batches with duplicate ids, writing nothing', async () => {
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ id: String(5100000001 + i) }));
    expect(
      (
        await s.api('/crm/v3/objects/contacts/batch/read', {
          method: 'POST',
          body: JSON.stringify({ inputs: tooMany }),
        })
      ).status,
    ).toBe(400);
    const id = s.sandbox.seedReport()!.idRanges.contacts!.first;
    const before = s.sandbox.crm.getContact(id).properties.firstname;
    const dup = await s.api('/crm/v3/objects/contacts/batch/update', {
      method: 'POST',
      body: JSON.stringify({
        inputs: [
          { id, properties: { firstname: 'X' } },
          { id, properties: { firstname: 'Y' } },
        ],
      }),
    });
    expect(dup.status).toBe(400);
    expect(s.sandbox.crm.getContact(id).properties.firstname).toBe(before);
  });

  it('batch-reads by email and upserts by email, reporting which records are new', async () => {
    const read = await s.client().crm.contacts.batchApi.read({
      idProperty: 'email',
      inputs: [{ id: 'NEW.PERSON@example.com' }, { id: 'nobody@example.com' }],
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect(read.results.map((r) => r.properties.email)).toEqual(['new.person@example.com']);
    const upsert = await s.client().crm.contacts.batchApi.upsert({
      inputs: [
        { id: 'new.person@example.com', idProperty: 'email', properties: { lastname: 'Person' } },
        { id: 'brand.new@example.com', idProperty: 'email', properties: { firstname: 'Brand' } },
      ],
    });
    expect(upsert.results.map((r) => [r.properties.email, r._new])).toEqual([
      ['new.person@example.com', false],
      ['brand.new@example.com', true],
    ]);
  });

  it('archives with DELETE, hides the record, and still lists it with archived=true', async () => {
    const created = await s
      .client()
      .crm.contacts.basicApi.create({ properties: { email: 'gone@example.com' }, associations: [] });
    await s.client().crm.contacts.basicApi.archive(created.id);
    expect((await s.api(`/crm/v3/objects/contacts/${created.id}`)).status).toBe(404);
    const archived = await (await s.api(`/crm/v3/objects/contacts/${created.id}?archived=true`)).json();
    expect(archived).toMatchObject({ id: created.id, archived: true, archivedAt: expect.any(String) });
  });

  it('after a merge, the merged id answers with the surviving contact', async () => {
    const a = s.sandbox.crm.createContact({ email: 'keep@example.com', firstname: 'Keep' });
    const b = s.sandbox.crm.createContact({ email: 'merge.me@example.com', lastname: 'Merged' });
    const res = await s.api('/crm/v3/objects/contacts/merge', {
      method: 'POST',
      body: JSON.stringify({ primaryObjectId: a.id, objectIdToMerge: b.id }),
    });
    expect(res.status).toBe(200);
    const viaOldId = await s
      .client()
      .crm.contacts.basicApi.getById(b.id, ['email', 'lastname', 'hs_additional_emails']);
    expect(viaOldId.id).toBe(a.id);
    expect(viaOldId.properties).toMatchObject({
      email: 'keep@example.com',
      lastname: 'Merged',
      hs_additional_emails: 'merge.me@example.com',
    });
  });

  it('tasks need hs_timestamp and can be associated to a contact with type 204', async () => {
    const contact = s.sandbox.seedReport()!.idRanges.contacts!.first;
    const missing = await s.api('/crm/v3/objects/tasks', {
      method: 'POST',
      body: JSON.stringify({ properties: { hs_task_subject: 'x' } }),
    });
    expect(missing.status).toBe(400);
    const task = await s.client().crm.objects.tasks.basicApi.create({
      properties: {
        hs_timestamp: String(Date.now()),
        hs_task_subject: 'Call back',
        hs_task_priority: 'HIGH',
        hs_task_type: 'CALL',
      },
      associations: [
        { to: { id: contact }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 204 }] },
      ],
    });
    const tasks = s.sandbox.crm.listTasks({ contactId: contact });
    expect(tasks.map((t) => t.id)).toContain(task.id);
    expect(tasks.find((t) => t.id === task.id)!.associations.contacts).toEqual([
      { id: contact, types: [{ typeId: 204, label: null }] },
    ]);
  });
});
