import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { saveSettings } from '../../src/core/settings-service';
import { signIdentity } from '../../src/web-survey';
import { aContact, aPortal } from '../factories';
import { TEST_PORTAL_ID } from '../helpers/env';
import { useNockedServer } from '../helpers/nocked-server';
import { Browser, hiddenCsrf } from './dashboard-http';
import { signedInAs as signedInAsUser } from './workspace-fixture';

// The identity secret's admin page: admins only, CSRF on the form, the secret shown once and working at once;
// rotating it turns the old one away.

const PORTAL = 4016;
const ADMIN_TOKEN = 'test-admin-token-0123456789';
const PAGE = '/dashboard/settings/web-survey/secret';
const ORIGIN = 'https://app.customer.test';
const clock = fixedClock('2026-07-01T12:00:00Z');
const s = useNockedServer({
  env: { RUN_WORKERS: 'false' },
  start: { clock },
  seed: async (server) => {
    await aPortal(server.deps.db, { portalId: PORTAL, authMode: 'oauth' });
    await server.deps.db.query(
      `INSERT INTO portal_admins (portal_id, hubspot_user_id, added_by, added_at) VALUES ($1, 500, 'install', now())`,
      [PORTAL],
    );
  },
});

const signedInAs = (userId: number, email: string) =>
  signedInAsUser(s().url, PORTAL, userId, email, clock.now().getTime());

const due = (email: string, userHash: string) =>
  fetch(`${s().url}/widget/v1/${TEST_PORTAL_ID}/due`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify({ email, userHash }),
  });

describe('the web survey secret page', () => {
  it('shows a new secret once, needs the CSRF token, and the secret verifies identities at once; a new one replaces it', async () => {
    const db = s().deps.db;
    await saveSettings(db, TEST_PORTAL_ID, { webSurvey: { enabled: true, allowedOrigins: [ORIGIN] } });
    await aContact(db, TEST_PORTAL_ID, { contactId: 8101, email: 'ada@customer.test' });
    const b = new Browser(s().url);
    const csrf = await b.signIn(ADMIN_TOKEN);
    const before = await (await b.fetch(PAGE)).text();
    expect(before).toContain('No secret yet');
    expect(hiddenCsrf(before)).toBe(csrf);

    expect((await b.form(PAGE, {})).status).toBe(403);
    const made = await b.form(PAGE, { _csrf: csrf });
    expect(made.status).toBe(200);
    expect(made.headers.get('cache-control')).toBe('no-store');
    const secret = /value="(nlw_[A-Za-z0-9_-]+)"/.exec(await made.text())?.[1];
    expect(secret).toBeDefined();
    const after = await (await b.fetch(PAGE)).text();
    expect(after).toContain('A secret is set');
    expect(after).not.toContain(secret!);
    // Stored encrypted, not in the clear.
    const stored = await db.query<{ secret_enc: string }>(
      'SELECT secret_enc FROM web_survey_secrets WHERE portal_id = $1',
      [TEST_PORTAL_ID],
    );
    expect(stored.rows[0]!.secret_enc).not.toContain(secret!);

    expect((await due('ada@customer.test', signIdentity(secret!, 'ada@customer.test'))).status).toBe(200);
    const rotated = await b.form(PAGE, { _csrf: csrf });
    const next = /value="(nlw_[A-Za-z0-9_-]+)"/.exec(await rotated.text())?.[1];
    expect(next).not.toBe(secret);
    expect((await due('ada@customer.test', signIdentity(secret!, 'ada@customer.test'))).status).toBe(403);
    expect((await due('ada@customer.test', signIdentity(next!, 'ada@customer.test'))).status).toBe(200);
  });

  it('is for admins only: a viewer gets 403 on the page and on generating', async () => {
    const viewer = await signedInAs(501, 'viewer@example.com');
    expect((await viewer.b.fetch(PAGE)).status).toBe(403);
    expect((await viewer.b.form(PAGE, { _csrf: viewer.csrf })).status).toBe(403);
    expect((await s().deps.db.query('SELECT 1 FROM web_survey_secrets WHERE portal_id = $1', [PORTAL])).rows).toEqual(
      [],
    );
    // Signed out: sent to sign in, nothing generated.
    expect((await fetch(`${s().url}${PAGE}`, { redirect: 'manual' })).status).toBe(303);
    expect((await fetch(`${s().url}${PAGE}`, { method: 'POST' })).status).toBe(401);
  });
});
