import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { runBackfill } from '../../src/segments/backfill';
import { saveProgress } from '../../src/segments/segments.repo';
import { segmentsFeature } from '../../src/segments';
import { settingsSchema } from '../../src/core';
import { aContact, aPortal } from '../factories';
import { HUBSPOT, useNockedServer } from '../helpers/nocked-server';
import { Browser } from './dashboard-http';
import { signedInAs } from './workspace-fixture';

// The admin page of custom dimensions (/dashboard/settings/segments): the property picker filled from the
// portal, the form's CSRF and admin-role guard, refusals shown on the page, backfill progress, and viewers
// reading without changing anything.

const PORTAL = 1001;
const OAUTH_PORTAL = 4005;
const ADMIN = 'test-admin-token-0123456789';
const clock = fixedClock('2026-07-01T12:00:00Z');
const PLAN: Record<string, string> = { '31': 'Gold', '32': 'Silver', '33': 'Gold' };

const s = useNockedServer({
  env: { RUN_WORKERS: 'false' },
  start: { clock },
  before: () => {
    nock(HUBSPOT)
      .persist()
      .get('/crm/v3/properties/contacts')
      .reply(200, {
        results: [
          {
            name: 'plan_tier',
            label: 'Plan tier',
            type: 'enumeration',
            fieldType: 'select',
            groupName: 'contactinformation',
            options: [
              { label: 'Gold', value: 'Gold' },
              { label: 'Silver', value: 'Silver' },
            ],
          },
          { name: 'email', label: 'Email', type: 'string', fieldType: 'text', groupName: 'contactinformation' },
        ],
      })
      .get('/crm/v3/properties/companies')
      .reply(200, {
        results: [
          {
            name: 'numberofemployees',
            label: 'Number of employees',
            type: 'number',
            fieldType: 'number',
            groupName: 'companyinformation',
          },
        ],
      });
  },
  seed: async (server) => {
    await aPortal(server.deps.db, { portalId: PORTAL });
    for (const id of Object.keys(PLAN)) await aContact(server.deps.db, PORTAL, { contactId: id });
    await aPortal(server.deps.db, { portalId: OAUTH_PORTAL, authMode: 'oauth' });
    await server.deps.db.query(
      `INSERT INTO portal_admins (portal_id, hubspot_user_id, added_by, added_at) VALUES ($1, 500, 'install', now())`,
      [OAUTH_PORTAL],
    );
  },
});

/** HubSpot's batch read of contacts' plan_tier; remembers which ids were asked for. */
function nockPlanReads(asked: string[][]): void {
  nock(HUBSPOT)
    .post('/crm/v3/objects/contacts/batch/read')
    .reply(200, (_uri, body) => {
      const ids = (body as { inputs: Array<{ id: string }> }).inputs.map((i) => i.id);
      asked.push(ids);
      return {
        status: 'COMPLETE',
        results: ids.map((id) => ({ id, properties: { hs_object_id: id, plan_tier: PLAN[id] ?? null } })),
      };
    });
}

const page = async (b: Browser) => {
  const res = await b.fetch('/dashboard/settings/segments');
  expect(res.status).toBe(200);
  return res.text();
};

describe('the segments admin page', () => {
  it('lists the portal’s contact and company properties to choose from', async () => {
    const b = new Browser(s().url);
    await b.signIn(ADMIN);
    const html = await page(b);
    expect(html).toContain('<h1>Segments by CRM property</h1>');
    expect(html).toContain('<option value="contact.plan_tier">Plan tier (plan_tier, enumeration)</option>');
    expect(html).toContain(
      '<option value="company.numberofemployees">Number of employees (numberofemployees, number)</option>',
    );
    expect(html).toContain('<p>None yet.</p>');
  });

  it('refuses a form without the CSRF token', async () => {
    const b = new Browser(s().url);
    await b.signIn(ADMIN);
    const res = await b.form('/dashboard/settings/segments', { property: 'contact.plan_tier' });
    expect(res.status).toBe(403);
  });

  it('shows why a dimension was refused on the page', async () => {
    const b = new Browser(s().url);
    const csrf = await b.signIn(ADMIN);
    const res = await b.form('/dashboard/settings/segments', { _csrf: csrf, property: 'company.numberofemployees' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/role="alert"[^>]*>[^<]*numberofemployees is a number property: give it bands/);
    const bad = await b.form('/dashboard/settings/segments', {
      _csrf: csrf,
      property: 'company.numberofemployees',
      bands: '10, lots',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('bands: use numbers separated by commas');
  });

  it('adds a dimension, shows its backfill progress, resumes it, and removes it', async () => {
    const b = new Browser(s().url);
    const csrf = await b.signIn(ADMIN);
    const res = await b.form('/dashboard/settings/segments', {
      _csrf: csrf,
      property: 'contact.plan_tier',
      label: 'Plan',
    });
    expect(res.status).toBe(200);
    const added = await res.text();
    expect(added).toContain('Added contact.plan_tier');
    expect(added).toMatch(/<tr data-dimension="contact\.plan_tier"><th scope="row">Plan<\/th>[\s\S]*?Reading values/);

    // As if an earlier attempt had saved the first two contacts: the job reads only the rest.
    await saveProgress(s().deps.db, PORTAL, 'contact.plan_tier', {
      state: 'backfilling',
      done: 2,
      total: 3,
      afterContactId: '32',
    });
    expect(await page(b)).toContain('2 of 3 contacts');
    const asked: string[][] = [];
    nockPlanReads(asked);
    await runBackfill(s().deps, PORTAL, 'contact.plan_tier');
    expect(asked).toEqual([['33']]);
    const done = await page(b);
    expect(done).toMatch(/Ready[\s\S]*?3 of 3 contacts/);
    const api = await (
      await fetch(`${s().url}/api/segments/dimensions`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).json();
    expect(api.dimensions).toEqual([
      expect.objectContaining({
        name: 'contact.plan_tier',
        label: 'Plan',
        kind: 'enumeration',
        state: 'ready',
        done: 3,
      }),
    ]);

    const removed = await b.form('/dashboard/settings/segments/remove', { _csrf: csrf, name: 'contact.plan_tier' });
    expect(removed.status).toBe(200);
    expect(await removed.text()).toContain('<p>None yet.</p>');
  });

  it('viewers see the dimensions but cannot change them', async () => {
    const { b, csrf } = await signedInAs(s().url, OAUTH_PORTAL, 600, 'viewer@example.com', clock.now().getTime());
    const html = await page(b);
    expect(html).toContain('Only portal admins can change segment dimensions.');
    expect(html).not.toContain('<select id="property"');
    expect((await b.form('/dashboard/settings/segments', { _csrf: csrf, property: 'contact.plan_tier' })).status).toBe(
      403,
    );
    const put = await b.fetch('/api/segments/dimensions', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ dimensions: [] }),
    });
    expect(put.status).toBe(403);
  });

  it('declares a settings section that links here and checks new dimensions against the portal', async () => {
    const section = segmentsFeature.settingsSections![0]!;
    expect(section).toMatchObject({ id: 'segments', href: '/dashboard/settings/segments' });
    const settings = settingsSchema.parse({ segments: { dimensions: [{ object: 'contact', property: 'plan_tier' }] } });
    const candidate = settingsSchema.parse({
      segments: {
        dimensions: [
          { object: 'contact', property: 'plan_tier' },
          { object: 'contact', property: 'gone_property' },
          { object: 'company', property: 'numberofemployees', bands: [10] },
        ],
      },
    });
    const issues = await section.validate!({ deps: s().deps, portalId: PORTAL, settings }, candidate);
    expect(issues).toEqual([
      {
        path: ['segments', 'dimensions', 1, 'property'],
        message: 'the portal has no contact property "gone_property"',
      },
    ]);
  });
});
