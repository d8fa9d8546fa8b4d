import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/cli/doctor/checks';
import { getPortal, saveOAuthTokens } from '../../src/core';
import { TEST_ACCESS_TOKEN, TEST_CLIENT_SECRET, TEST_DATABASE_URL, TEST_PORTAL_ID, uniqueSchema } from '../helpers/env';
import { dropSchemas } from '../helpers/db';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app';
import { startTestServer, type TestServer } from '../helpers/server';
import { freePort } from '../../src/cli/demo/environment';
import { waitFor } from '../helpers/wait';

// npm run doctor against the sandbox (playing HubSpot) and the real app in-process: a healthy single-portal
// install, an OAuth install that lacks a scope, and a client secret that is not the app's.

let rig: SandboxApp;
let env: Record<string, string | undefined>;

const REQUIRED_SCOPES: string[] = JSON.parse(readFileSync('extensions/app/app-hsmeta.json', 'utf8')).config.auth
  .requiredScopes;

beforeAll(async () => {
  rig = await startSandboxApp({ seed: { seed: 9, contacts: 5, companies: 2, deals: 1, tickets: 1, owners: 2 } });
  env = {
    PORT: '0',
    PUBLIC_BASE_URL: rig.server.config.publicBaseUrl,
    DATABASE_URL: TEST_DATABASE_URL,
    HUBSPOT_API_BASE_URL: rig.server.config.hubspot.apiBaseUrl,
    HUBSPOT_ACCESS_TOKEN: TEST_ACCESS_TOKEN,
    HUBSPOT_PORTAL_ID: String(TEST_PORTAL_ID),
    HUBSPOT_CLIENT_SECRET: TEST_CLIENT_SECRET,
    SURVEY_SIGNING_KEY: 'test-survey-signing-key-0123456789',
    ENCRYPTION_KEY: 'test-encryption-key-0123456789',
    ADMIN_TOKEN: 'test-admin-token-0123456789',
  };
  // The app's own portal setup creates the nps properties and the three lists in the sandbox.
  await waitFor(async () => (await getPortal(rig.server.deps.db, TEST_PORTAL_ID))?.setupCompletedAt, {
    timeoutMs: 30_000,
    what: 'portal setup',
  });
}, 60_000);
afterAll(async () => {
  await rig?.close();
});

async function doctor(overrides: Record<string, string | undefined>, server: TestServer = rig.server) {
  const out: string[] = [];
  const result = await runDoctor({ env: { ...env, ...overrides }, deps: server.deps, write: (l) => out.push(l) });
  return { ...result, text: out.join('\n') };
}

describe('npm run doctor', () => {
  it('passes a healthy single-portal install (exit 0), warning only about plain http on localhost', async () => {
    const r = await doctor({});
    expect(r.exitCode, r.text).toBe(0);
    expect(r.lines.map((l) => [l.verdict, l.title])).toEqual([
      ['ok', 'configuration'],
      ['warn', 'public URL'],
      ['ok', `token (portal ${TEST_PORTAL_ID})`],
      ['ok', `scopes (portal ${TEST_PORTAL_ID})`],
      ['ok', `nps properties (portal ${TEST_PORTAL_ID})`],
      ['ok', `segmentation lists (portal ${TEST_PORTAL_ID})`],
      ['ok', 'webhooks (POST /webhooks/hubspot)'],
      ['ok', 'workflow action (POST /hubspot/workflow-actions/send-survey)'],
      ['ok', 'card API (GET /api/card/contacts/1)'],
    ]);
    expect(r.text).toContain('✓ segmentation lists');
    expect(r.text).toContain('All checks passed, with 1 warning.');
    // The workflow self-test scheduled nothing.
    const n = await rig.server.deps.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM invitations WHERE milestone_key LIKE 'workflow:nps-loop-self-test-%'`,
    );
    expect(Number(n.rows[0]!.n)).toBe(0);
  });

  it('fails every signed line when the client secret is not the app’s (exit 1)', async () => {
    const r = await doctor({ HUBSPOT_CLIENT_SECRET: 'not-the-apps-secret-0123456789' });
    expect(r.exitCode).toBe(1);
    const signed = r.lines.slice(-3);
    expect(signed.map((l) => l.verdict)).toEqual(['fail', 'fail', 'fail']);
    expect(signed[0]!.detail).toContain('signature refused');
    expect(r.text).toContain('HUBSPOT_CLIENT_SECRET');
    expect(r.lines.find((l) => l.title.startsWith('token'))!.verdict).toBe('ok');
  });

  it('names a missing variable and stops (exit 1)', async () => {
    const r = await doctor({ HUBSPOT_CLIENT_SECRET: undefined });
    expect(r.exitCode).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatchObject({ verdict: 'fail', title: 'configuration' });
    expect(r.lines[0]!.detail).toContain('HUBSPOT_CLIENT_SECRET');
  });

  it('fails a token HubSpot refuses, saying which variable to fix (exit 1)', async () => {
    // Without the app's dependencies: the doctor builds its own from the configuration, as the command does.
    const schema = TEST_DATABASE_URL ? uniqueSchema('doctor') : undefined;
    const out: string[] = [];
    const r = await runDoctor({
      env: { ...env, HUBSPOT_ACCESS_TOKEN: 'not-a-token-hubspot-knows', DATABASE_SCHEMA: schema },
      write: (l) => out.push(l),
    }).finally(() => (schema ? dropSchemas(schema) : undefined));
    expect(r.exitCode, out.join('\n')).toBe(1);
    const token = r.lines.find((l) => l.title === `token (portal ${TEST_PORTAL_ID})`)!;
    expect(token.verdict).toBe('fail');
    expect(token.fix).toContain('HUBSPOT_ACCESS_TOKEN');
    // No scope, property or list lines for a portal whose token is refused; the signed lines still run.
    expect(r.lines.map((l) => l.title)).not.toContain(`scopes (portal ${TEST_PORTAL_ID})`);
    expect(r.lines.slice(-3).map((l) => l.verdict)).toEqual(['ok', 'ok', 'ok']);
  });

  it('names a required scope an OAuth install was not granted (exit 1), and warns of a missing optional one', async () => {
    const port = await freePort(0);
    const oauthEnv = {
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      HUBSPOT_API_BASE_URL: env.HUBSPOT_API_BASE_URL,
      HUBSPOT_ACCESS_TOKEN: undefined,
      HUBSPOT_PORTAL_ID: undefined,
      HUBSPOT_CLIENT_ID: 'test-client-id',
      HUBSPOT_REDIRECT_URI: `http://127.0.0.1:${port}/oauth/callback`,
      RUN_WORKERS: 'false',
    };
    const oauthApp = await startTestServer(oauthEnv);
    try {
      const { cipher, db } = oauthApp.deps;
      const install = (scopes: string[]) =>
        saveOAuthTokens(db, TEST_PORTAL_ID, {
          accessTokenEnc: cipher.encrypt(TEST_ACCESS_TOKEN),
          refreshTokenEnc: cipher.encrypt('refresh-token'),
          expiresAt: new Date(Date.now() + 3_600_000),
          scopes,
        });
      // An install whose token the sandbox knows, granted every required scope but crm.lists.write, and not the
      // optional automation (an account whose tier has no workflows).
      await install(REQUIRED_SCOPES.filter((s) => s !== 'crm.lists.write'));
      const r = await doctor({ ...oauthEnv }, oauthApp);
      expect(r.exitCode, r.text).toBe(1);
      const scopes = r.lines.find((l) => l.title === `scopes (portal ${TEST_PORTAL_ID})`)!;
      expect(scopes).toMatchObject({ verdict: 'fail', detail: 'not granted: crm.lists.write' });
      expect(scopes.fix).toContain('reinstall');
      expect(r.text).toContain(`✗ scopes (portal ${TEST_PORTAL_ID}): not granted: crm.lists.write`);
      expect(r.text).toContain(`⚠ optional scopes (portal ${TEST_PORTAL_ID}): not granted: automation`);
      // Everything else is fine.
      expect(r.lines.filter((l) => l.verdict === 'fail')).toHaveLength(1);

      // Without automation alone the install works: a warning, exit 0.
      await install(REQUIRED_SCOPES);
      const ok = await doctor({ ...oauthEnv }, oauthApp);
      expect(ok.exitCode, ok.text).toBe(0);
      expect(ok.lines.find((l) => l.title === `optional scopes (portal ${TEST_PORTAL_ID})`)).toMatchObject({
        verdict: 'warn',
      });
    } finally {
      await oauthApp.close();
    }
  });
});
