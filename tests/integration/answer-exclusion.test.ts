import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { TEST_PORTAL_ID } from '../helpers/env';
import { HUBSPOT, hubspotAlreadySetUp, useNockedServer } from '../helpers/nocked-server';
import { waitFor } from '../helpers/wait';
import { aPortal, aResponse, someContacts } from '../factories';
import { Browser } from './dashboard-http';
import { signedFetch } from '../helpers/signed';
import { tombstoneContacts } from '../../src/contacts/privacy.repo';

// Excluding an answer (a test answer, spam) through the dashboard's admin routes, against the real app with
// HubSpot faked at its HTTP boundary: the headline NPS, the company NPS and the contact's properties recompute,
// the contact's score falls back to the previous answer, and including it again brings everything back.

const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const OTHER_PORTAL = 2002;

describe('excluding an answer', () => {
  const contactWrites: Array<{ id: string; properties: Record<string, string> }> = [];
  const companyWrites: Array<{ id: string; properties: Record<string, string> }> = [];
  const ids: { previous?: string; test?: string; other?: string; foreign?: string } = {};
  const server = useNockedServer({
    before: () => {
      hubspotAlreadySetUp();
      nock(HUBSPOT)
        .persist()
        .post('/crm/v3/objects/contacts/batch/update')
        .reply((_uri, body: any) => {
          contactWrites.push(...body.inputs);
          return [200, { status: 'COMPLETE', results: body.inputs }];
        })
        .post('/crm/v3/objects/companies/batch/update')
        .reply((_uri, body: any) => {
          companyWrites.push(...body.inputs);
          return [200, { status: 'COMPLETE', results: body.inputs }];
        });
    },
    seed: async (s) => {
      const db = s.deps.db;
      await someContacts(db, TEST_PORTAL_ID, [
        { contactId: 1, companyId: 900, email: 'ann@example.com' },
        { contactId: 2, companyId: 900 },
      ]);
      ids.previous = (
        await aResponse(db, { portalId: TEST_PORTAL_ID, contactId: 1, score: 9, companyId: 900, answeredAt: ago(5) })
      ).id;
      ids.test = (
        await aResponse(db, {
          portalId: TEST_PORTAL_ID,
          contactId: 1,
          score: 3,
          companyId: 900,
          comment: 'test <b>answer</b>',
          answeredAt: ago(2),
        })
      ).id;
      ids.other = (
        await aResponse(db, { portalId: TEST_PORTAL_ID, contactId: 2, score: 10, companyId: 900, answeredAt: ago(3) })
      ).id;
      await aPortal(db, { portalId: OTHER_PORTAL });
      await someContacts(db, OTHER_PORTAL, [{ contactId: 7 }]);
      ids.foreign = (
        await aResponse(db, { portalId: OTHER_PORTAL, contactId: 7, score: 0, comment: 'secret', answeredAt: ago(1) })
      ).id;
    },
  });

  const admin = { authorization: `Bearer ${'test-admin-token-0123456789'}`, 'content-type': 'application/json' };
  const call = (path: string, body: unknown = {}) =>
    fetch(`${server().url}${path}`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
  const headline = async () => {
    const res = await fetch(`${server().url}/api/insights/headline`, { headers: admin });
    expect(res.status).toBe(200);
    return (await res.json()) as { nps: number; n: number };
  };
  const card = async () => {
    const res = await signedFetch(
      server().url,
      `/api/card/contacts/1?portalId=${TEST_PORTAL_ID}&userId=11&userEmail=ada%40example.com&appId=77`,
    );
    expect(res.status).toBe(200);
    return res.text();
  };
  const csv = async () => {
    const res = await fetch(`${server().url}/api/insights/export.csv`, { headers: admin });
    expect(res.status).toBe(200);
    return res.text();
  };
  const latest = (writes: typeof contactWrites, id: string) =>
    [...writes].reverse().find((w) => w.id === id)?.properties;
  const settledAfter = (count: { contacts: number; companies: number }, contact: string, company: string) =>
    waitFor(
      () =>
        contactWrites.length > count.contacts && companyWrites.length > count.companies
          ? { contact: latest(contactWrites, contact)!, company: latest(companyWrites, company)! }
          : undefined,
      { what: 'the contact and company write-back' },
    );
  const counts = () => ({ contacts: contactWrites.length, companies: companyWrites.length });

  it('leaves the headline NPS, the company NPS and the contact properties, and comes back when included again', async () => {
    expect(await headline()).toMatchObject({ n: 3, nps: 33.3 });
    expect(await card()).toContain('test <b>answer</b>');
    expect(await csv()).toContain('test <b>answer</b>');

    let before = counts();
    const excluded = await call(`/dashboard/answers/${ids.test}/exclude`, { reason: 'a test answer' });
    expect(excluded.status).toBe(200);
    expect(await excluded.json()).toEqual({ responseId: ids.test, excluded: true });
    expect(await headline()).toMatchObject({ n: 2, nps: 100 });
    // Gone from the CRM card's history and the CSV export too.
    expect(await card()).not.toContain('test <b>answer</b>');
    expect(await csv()).not.toContain('test <b>answer</b>');
    let written = await settledAfter(before, '1', '900');
    // The contact's current score falls back to the previous valid answer; the company counts it.
    expect(written.contact).toMatchObject({ nps_score: '9', nps_category: 'promoter', nps_response_count: '1' });
    expect(written.company).toMatchObject({
      nps_company_score: '100',
      nps_company_respondents: '2',
      nps_company_detractors: '0',
    });

    before = counts();
    const included = await call(`/dashboard/answers/${ids.test}/include`, { reason: 'it was real after all' });
    expect(included.status).toBe(200);
    expect(await headline()).toMatchObject({ n: 3, nps: 33.3 });
    expect(await card()).toContain('test <b>answer</b>');
    written = await settledAfter(before, '1', '900');
    expect(written.contact).toMatchObject({ nps_score: '3', nps_category: 'detractor', nps_response_count: '2' });
    expect(written.company).toMatchObject({ nps_company_score: '0', nps_company_detractors: '1' });
  });

  it('answers 404 with no data for an unknown answer and for another portal’s answer, and changes nothing', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id', ids.foreign!]) {
      for (const action of ['exclude', 'include']) {
        const res = await call(`/dashboard/answers/${id}/${action}`, { reason: 'spam' });
        expect(res.status).toBe(404);
        const body = await res.text();
        expect(JSON.parse(body)).toEqual({ error: { code: 'answer_not_found', message: 'no such answer' } });
        expect(body).not.toContain('secret');
      }
    }
    const still = await server().deps.db.query('SELECT 1 FROM responses WHERE id = $1', [ids.foreign]);
    expect(still.rows).toHaveLength(1);
  });

  it('needs a reason, refuses to exclude twice or include what is counted, and needs a signed-in admin', async () => {
    const noReason = await call(`/dashboard/answers/${ids.other}/exclude`, { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as any).error.message).toContain('reason');
    expect((await call(`/dashboard/answers/${ids.other}/include`)).status).toBe(409);
    expect(
      (
        await fetch(`${server().url}/dashboard/answers/${ids.other}/exclude`, {
          method: 'POST',
          body: 'reason=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(401);
    expect((await call(`/dashboard/answers/${ids.other}/exclude`, { reason: 'spam' })).status).toBe(200);
    expect((await call(`/dashboard/answers/${ids.other}/exclude`, { reason: 'spam' })).status).toBe(409);
    expect((await call(`/dashboard/answers/${ids.other}/include`)).status).toBe(200);
  });

  it('keeps an audit trail of who excluded and included which answer, when and why, on the signed-in page', async () => {
    const browser = new Browser(server().url);
    const csrf = await browser.signIn('test-admin-token-0123456789');
    // Without the session's CSRF token a form post is refused.
    expect((await browser.form(`/dashboard/answers/${ids.test}/exclude`, { reason: 'spam' })).status).toBe(403);
    const confirm = await browser.fetch(`/dashboard/answers/${ids.test}/exclude`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('test &lt;b&gt;answer&lt;/b&gt;');
    const res = await browser.form(`/dashboard/answers/${ids.test}/exclude`, {
      reason: 'logged by <mistake>',
      _csrf: csrf,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/answers/excluded');
    const list = await (await browser.fetch('/dashboard/answers/excluded')).text();
    expect(list).toContain('logged by &lt;mistake&gt;');
    expect(list).toContain('a test answer');
    expect(list).toContain('it was real after all');
    expect(list).toContain('Included again');
    expect(list).toContain(`/dashboard/answers/${ids.test}/include`);
    expect(list).not.toContain('secret');
    const events = await server().deps.db.query<{ action: string; actor: string; reason: string }>(
      'SELECT action, actor, reason FROM answer_exclusion_events WHERE response_id = $1 ORDER BY id',
      [ids.test],
    );
    expect(events.rows.map((e) => [e.action, e.reason])).toEqual([
      ['excluded', 'a test answer'],
      ['included', 'it was real after all'],
      ['excluded', 'logged by <mistake>'],
    ]);
    expect(events.rows[0]!.actor).toBe('admin token');
  });

  it('forgets the excluded answers of a contact erased on a privacy request', async () => {
    const db = server().deps.db;
    const held = () =>
      db.query('SELECT 1 FROM answer_exclusions WHERE portal_id = $1 AND contact_id = 1', [TEST_PORTAL_ID]);
    expect((await held()).rows).toHaveLength(1);
    await db.transaction((tx) => tombstoneContacts(tx, TEST_PORTAL_ID, ['1']));
    expect((await held()).rows).toHaveLength(0);
  });
});
