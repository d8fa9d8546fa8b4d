import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { aPortal } from '../factories';
import { useNockedServer } from '../helpers/nocked-server';
import { PERIOD, PORTAL, nockOwners, seedFixture } from './insights-fixture';
import { Browser } from './dashboard-http';
import { signedInAs as signedInAsUser } from './workspace-fixture';

// Roles: the portal's admins (the installer first, then whoever admins add) change settings, export answers and
// manage TV links; everyone else signed in through the NPS card's link is a viewer. ADMIN_TOKEN is an admin.

const OAUTH_PORTAL = 4004;
const clock = fixedClock('2026-07-01T12:00:00Z');
const s = useNockedServer({
  env: { RUN_WORKERS: 'false' },
  start: { clock },
  before: () => nockOwners(),
  seed: async (server) => {
    await seedFixture(server.deps.db);
    await aPortal(server.deps.db, { portalId: OAUTH_PORTAL, authMode: 'oauth' });
    // As the install does: the installer (HubSpot user 500) is the first admin.
    await server.deps.db.query(
      `INSERT INTO portal_admins (portal_id, hubspot_user_id, added_by, added_at) VALUES ($1, 500, 'install', now())`,
      [OAUTH_PORTAL],
    );
  },
});

/** Signs a browser in as a HubSpot user through the card's one-time link; returns it and its CSRF token. */
const signedInAs = (portalId: number, userId: number, email: string) =>
  signedInAsUser(s().url, portalId, userId, email, clock.now().getTime());

const json = (b: Browser, csrf: string, method: string, path: string, body: unknown) =>
  b.fetch(path, {
    method,
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify(body),
  });

async function saveSettings(b: Browser, csrf: string): Promise<Response> {
  const current = (await (await b.fetch('/api/settings')).json()).settings;
  return json(b, csrf, 'PUT', '/api/settings', current);
}

describe('roles', () => {
  it('the installer is an admin: saves settings, exports, manages TV links and admins', async () => {
    const { b, csrf } = await signedInAs(OAUTH_PORTAL, 500, 'installer@example.com');
    expect((await saveSettings(b, csrf)).status).toBe(200);
    expect((await b.fetch(`/api/insights/export.csv?from=${PERIOD.from}&to=${PERIOD.to}`)).status).toBe(200);
    expect((await b.fetch('/api/insights/tv-links')).status).toBe(200);
    const admins = await b.fetch('/api/settings/admins');
    expect(admins.status).toBe(200);
    expect((await admins.json()).admins).toEqual([{ hubspotUserId: 500, email: null }]);
  });

  it('a viewer reads the dashboard but gets 403 on settings, export, TV links and the admin list', async () => {
    const { b, csrf } = await signedInAs(OAUTH_PORTAL, 501, 'viewer@example.com');
    const page = await b.fetch('/dashboard');
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('id="tv-links"');
    expect((await b.fetch(`/api/insights/headline?from=${PERIOD.from}&to=${PERIOD.to}`)).status).toBe(200);
    expect((await b.fetch('/api/settings')).status).toBe(200);
    const refused = [
      await saveSettings(b, csrf),
      await b.fetch(`/api/insights/export.csv?from=${PERIOD.from}&to=${PERIOD.to}`),
      await b.fetch('/api/insights/tv-links'),
      await b.form('/dashboard/tv-links', { label: 'Lobby', _csrf: csrf }, { accept: 'application/json' }),
      await b.fetch('/api/settings/admins'),
      await json(b, csrf, 'PUT', '/api/settings/admins', { admins: [{ hubspotUserId: 501 }] }),
      await b.fetch('/dashboard/answers/excluded'),
      await json(b, csrf, 'POST', '/dashboard/answers/00000000-0000-4000-8000-000000000000/exclude', {
        reason: 'spam',
      }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('only an NPS Loop admin of this HubSpot account can do this');
    }
  });

  it('an admin adds a second admin (by email), who then saves settings; the last admin cannot remove themself', async () => {
    const admin = await signedInAs(OAUTH_PORTAL, 500, 'installer@example.com');
    const added = await json(admin.b, admin.csrf, 'PUT', '/api/settings/admins', {
      admins: [{ hubspotUserId: 500 }, { email: 'Second@Example.com' }],
    });
    expect(added.status).toBe(200);
    expect((await added.json()).admins).toEqual([
      { hubspotUserId: 500, email: null },
      { hubspotUserId: null, email: 'Second@Example.com' },
    ]);
    const second = await signedInAs(OAUTH_PORTAL, 502, 'second@example.com');
    expect((await saveSettings(second.b, second.csrf)).status).toBe(200);

    // The second admin removes the installer, then cannot remove themself as the last admin.
    const only = await json(second.b, second.csrf, 'PUT', '/api/settings/admins', {
      admins: [{ email: 'second@example.com' }],
    });
    expect(only.status).toBe(200);
    expect((await saveSettings(admin.b, admin.csrf)).status).toBe(403);
    const last = await json(second.b, second.csrf, 'PUT', '/api/settings/admins', { admins: [] });
    expect(last.status).toBe(409);
    expect((await last.json()).error.code).toBe('last_admin');
    expect((await saveSettings(second.b, second.csrf)).status).toBe(200);
  });

  it('ADMIN_TOKEN (single-portal mode) is an admin, session or bearer', async () => {
    const b = new Browser(s().url);
    const csrf = await b.signIn('test-admin-token-0123456789');
    expect((await saveSettings(b, csrf)).status).toBe(200);
    const headers = { authorization: 'Bearer test-admin-token-0123456789' };
    expect((await fetch(`${s().url}/api/settings/admins`, { headers })).status).toBe(200);
    expect(
      (await fetch(`${s().url}/api/insights/export.csv?from=${PERIOD.from}&to=${PERIOD.to}`, { headers })).status,
    ).toBe(200);
    // A HubSpot user of the single portal who is not on its admin list is a viewer.
    const viewer = await signedInAs(PORTAL, 11, 'ada@example.com');
    expect((await saveSettings(viewer.b, viewer.csrf)).status).toBe(403);
  });
});
