import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { TEST_PORTAL_ID } from '../helpers/env';
import { HUBSPOT, hubspotAlreadySetUp, useNockedServer } from '../helpers/nocked-server';
import { signedFetch } from '../helpers/signed';
import { waitFor } from '../helpers/wait';
import { aPortal, aPortalAdmin, aResponse, someContacts } from '../factories';

// "Exclude" on a history row of the CRM card: a signed card request (HubSpot faked at its HTTP boundary) that
// excludes the answer through the exclusions feature, with the HubSpot user in the audit trail. NPS Loop admins
// only, as on the dashboard. Only the card's own contact's answers of the signed portal: anything else is a 404
// that says nothing about the answer.

const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const OTHER_PORTAL = 2002;
const USER = 'userId=11&userEmail=ada%40example.com';

describe('excluding an answer from the CRM card', () => {
  const contactWrites: Array<{ id: string; properties: Record<string, string> }> = [];
  const ids: { previous?: string; spam?: string; neighbour?: string; foreign?: string } = {};
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
        .reply((_uri, body: any) => [200, { status: 'COMPLETE', results: body.inputs }]);
    },
    seed: async (s) => {
      const db = s.deps.db;
      await aPortalAdmin(db, TEST_PORTAL_ID, { hubspotUserId: 11 });
      await someContacts(db, TEST_PORTAL_ID, [{ contactId: 1, email: 'ann@example.com' }, { contactId: 2 }]);
      ids.previous = (await aResponse(db, { portalId: TEST_PORTAL_ID, contactId: 1, score: 9, answeredAt: ago(5) })).id;
      ids.spam = (
        await aResponse(db, {
          portalId: TEST_PORTAL_ID,
          contactId: 1,
          score: 0,
          comment: 'asdf spam',
          answeredAt: ago(1),
        })
      ).id;
      ids.neighbour = (
        await aResponse(db, { portalId: TEST_PORTAL_ID, contactId: 2, score: 2, answeredAt: ago(2) })
      ).id;
      await aPortal(db, { portalId: OTHER_PORTAL });
      await someContacts(db, OTHER_PORTAL, [{ contactId: 1 }]);
      ids.foreign = (
        await aResponse(db, { portalId: OTHER_PORTAL, contactId: 1, score: 0, comment: 'secret', answeredAt: ago(1) })
      ).id;
    },
  });

  const exclude = (id: string, body: unknown, query = `portalId=${TEST_PORTAL_ID}&${USER}`, contact = '1') =>
    signedFetch(server().url, `/api/card/contacts/${contact}/answers/${id}/exclude?${query}`, { body });
  const card = async () => {
    const res = await signedFetch(server().url, `/api/card/contacts/1?portalId=${TEST_PORTAL_ID}&${USER}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { score: number; history: Array<{ responseId?: string; comment: string | null }> };
  };
  const counted = async (id: string) =>
    (await server().deps.db.query('SELECT 1 FROM responses WHERE id = $1', [id])).rows.length === 1;

  it('excludes the answer with the HubSpot user in the audit trail; the card and the properties fall back', async () => {
    const before = await card();
    expect(before.history.map((h) => h.responseId)).toEqual([ids.spam, ids.previous]);
    expect(before.score).toBe(0);
    const writes = contactWrites.length;

    const res = await exclude(ids.spam!, { reason: 'a colleague testing the survey' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ responseId: ids.spam, excluded: true });
    const after = await card();
    expect(after.history.map((h) => h.responseId)).toEqual([ids.previous]);
    expect(after.score).toBe(9);
    const written = await waitFor(
      () => (contactWrites.length > writes ? [...contactWrites].reverse().find((w) => w.id === '1') : undefined),
      { what: 'the contact write-back' },
    );
    expect(written.properties).toMatchObject({ nps_score: '9', nps_category: 'promoter' });
    const audit = await server().deps.db.query<{ actor: string; reason: string; action: string }>(
      'SELECT actor, reason, action FROM answer_exclusion_events WHERE response_id = $1',
      [ids.spam],
    );
    expect(audit.rows).toEqual([
      {
        actor: 'HubSpot user 11 <ada@example.com> (CRM card)',
        reason: 'a colleague testing the survey',
        action: 'excluded',
      },
    ]);

    // HubSpot's retry of the same request answers like the first and records nothing more.
    const again = await exclude(ids.spam!, { reason: 'a colleague testing the survey' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ responseId: ids.spam, excluded: true });
    const events = await server().deps.db.query('SELECT 1 FROM answer_exclusion_events WHERE response_id = $1', [
      ids.spam,
    ]);
    expect(events.rows).toHaveLength(1);
  });

  it('answers 404 with no data for another portal’s answer, another contact’s answer and an unknown id', async () => {
    const cases: Array<[string, string]> = [
      [ids.foreign!, '1'],
      [ids.neighbour!, '1'],
      ['00000000-0000-4000-8000-000000000000', '1'],
      ['not-an-id', '1'],
    ];
    for (const [id, contact] of cases) {
      const res = await exclude(id, { reason: 'spam' }, `portalId=${TEST_PORTAL_ID}&${USER}`, contact);
      expect(res.status).toBe(404);
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({ error: { code: 'answer_not_found', message: 'no such answer' } });
      expect(body).not.toContain('secret');
    }
    expect(await counted(ids.foreign!)).toBe(true);
    expect(await counted(ids.neighbour!)).toBe(true);
  });

  it('takes only signed card requests naming a user, and needs a reason', async () => {
    const path = `/api/card/contacts/2/answers/${ids.neighbour}/exclude?portalId=${TEST_PORTAL_ID}&${USER}`;
    const unsigned = await fetch(`${server().url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'spam' }),
    });
    expect(unsigned.status).toBe(401);
    const wrongSecret = await signedFetch(server().url, path, { body: { reason: 'spam' }, secret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(401);
    const noUser = await exclude(ids.neighbour!, { reason: 'spam' }, `portalId=${TEST_PORTAL_ID}`, '2');
    expect(noUser.status).toBe(401);
    // A HubSpot user who is not an NPS Loop admin sees why (an outcome: HubSpot's proxy hides a 403's body).
    const viewer = await exclude(ids.neighbour!, { reason: 'spam' }, `portalId=${TEST_PORTAL_ID}&userId=12`, '2');
    expect(viewer.status).toBe(200);
    expect(await viewer.json()).toEqual({
      outcome: 'admin_required',
      message: expect.stringContaining('NPS Loop admin'),
    });
    const noReason = await exclude(ids.neighbour!, { reason: '   ' }, undefined, '2');
    expect(noReason.status).toBe(200);
    expect(await noReason.json()).toEqual({ outcome: 'invalid_input', message: expect.stringContaining('reason') });
    const nul = await exclude(ids.neighbour!, { reason: 'spam\u0000' }, undefined, '2');
    expect(nul.status).toBeLessThan(500);
    expect(await counted(ids.neighbour!)).toBe(true);
    expect((await exclude(ids.neighbour!, { reason: 'spam' }, undefined, '2')).status).toBe(200);
    expect(await counted(ids.neighbour!)).toBe(false);
  });
});
