import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { features } from '../../src/app/feature-registry';
import { demoFeature } from '../../src/cli/demo/pages';
import { prepareWebSurveyDemo } from '../../src/cli/demo/web-app';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { aContact, anInvitation } from '../factories';
import { Browser } from './dashboard-http';

// The demo's sample customer web app: signed in, it plays a host whose backend signs the user's email, embeds the
// loader, and the widget API finds the contact due. Without the dashboard sign-in it shows nothing.

let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ RUN_WORKERS: 'false' }, { features: [...features, demoFeature] });
  await prepareWebSurveyDemo(s.deps, TEST_PORTAL_ID, [s.url]);
  await aContact(s.deps.db, TEST_PORTAL_ID, { contactId: 301, email: 'recent@example.com' });
  await anInvitation(s.deps.db, { portalId: TEST_PORTAL_ID, contactId: 301, status: 'answered', sentAt: new Date() });
  await aContact(s.deps.db, TEST_PORTAL_ID, { contactId: 302, email: 'due@example.com', language: 'sv' });
});
afterAll(async () => {
  await s?.close();
});

describe('the demo web app', () => {
  it('signs in as a contact that is due, embeds the loader, and the widget API offers the survey', async () => {
    expect((await fetch(`${s.url}/demo/web-app`, { redirect: 'manual' })).status).toBe(303);
    const b = new Browser(s.url);
    await b.signIn('test-admin-token-0123456789');
    const res = await b.fetch('/demo/web-app');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain(`<script src="/widget/v1/loader.js" data-portal="${TEST_PORTAL_ID}" async></script>`);
    const email = /data-email="([^"]+)"/.exec(html)?.[1];
    const userHash = /data-user-hash="([0-9a-f]{64})"/.exec(html)?.[1];
    expect(email).toBe('due@example.com');
    const due = await fetch(`${s.url}/widget/v1/${TEST_PORTAL_ID}/due`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: s.url },
      body: JSON.stringify({ email, userHash }),
    });
    expect(due.status).toBe(200);
    expect(await due.json()).toMatchObject({ due: true, lang: 'sv' });
    expect((await b.fetch('/demo/web-app/host.js')).status).toBe(200);
  });
});
