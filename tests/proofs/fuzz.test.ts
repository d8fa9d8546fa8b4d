import fc from 'fast-check';
import nock from 'nock';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTvLink } from '../../src/auth/tv-links.repo';
import { createSurveyToken } from '../../src/core/survey-links';
import { DAY_MS } from '../../src/shared/clock';
import { saveSettings } from '../../src/core/settings-service';
import { ensureWidgetSecret, signIdentity } from '../../src/web-survey';
import { aContact, anInvitation } from '../factories';
import { TEST_PORTAL_ID, TEST_PUBLIC_URL } from '../helpers/env';
import { HUBSPOT, hubspotAlreadySetUp } from '../helpers/nocked-server';
import { recordProof } from '../helpers/proof-report';
import { sized } from '../helpers/proof-size';
import { startTestServer, type TestServer } from '../helpers/server';

// Property-based fuzzing of every public route of the real app (README "HTTP interface"), in-process, with
// HubSpot's HTTP boundary faked by a permissive nock. Requests carry random JSON (NUL, lone surrogates, huge
// numbers, deep nesting, wrong types), random query strings, content types and methods, oversized bodies; those to
// signed routes are signed over the exact fuzzed bytes (v3, or v2 where the route takes it) or left unsigned.
// Property: no answer is a 5xx, except HubSpot's documented 503 (`hubspot_unavailable`, `hubspot_rate_limited`),
// and /healthz answers 200 after every batch of 100 requests (the server keeps answering).

const REQUESTS = sized({ quick: 400, full: 10_000 });
const BATCH = 100;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);

import { ADMIN, TWILIO, type FuzzRequest } from './fuzz-arbitraries';
import { crawlDashboard, mountedRoutes, routeReached, sweep } from './fuzz-mounted';
import { routes, type Live } from './fuzz-routes';
import { documented503, printable, send } from './fuzz-send';
// ---- the proof ---------------------------------------------------------------------------------------------------

describe('fuzzing every public route', () => {
  let server: TestServer;
  let live: Live;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    hubspotAlreadySetUp();
    // HubSpot answers every other call normally (an empty page, a record with no properties), so no 503 arises.
    // A fuzzed OAuth code is one HubSpot never issued: its token endpoint answers as it does for those.
    nock(HUBSPOT)
      .persist()
      .post(/^\/oauth\/.*token/)
      .reply(400, { status: 'BAD_AUTH_CODE', message: 'missing or invalid auth code', correlationId: 'fuzz' });
    const anything = { id: '1', results: [], properties: {}, paging: undefined, status: 'COMPLETE' };
    nock(HUBSPOT).persist().get(/.*/).reply(200, anything);
    nock(HUBSPOT).persist().post(/.*/).reply(200, anything);
    nock(HUBSPOT).persist().patch(/.*/).reply(200, anything);
    nock(HUBSPOT).persist().put(/.*/).reply(200, anything);
    nock(HUBSPOT).persist().delete(/.*/).reply(204);
    server = await startTestServer({
      RUN_WORKERS: 'false',
      ADMIN_TOKEN: ADMIN,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'nps-fuzz-')),
      HUBSPOT_CLIENT_ID: 'fuzz-client',
      HUBSPOT_REDIRECT_URI: `${TEST_PUBLIC_URL}/oauth/callback`,
      TWILIO_ACCOUNT_SID: TWILIO.sid,
      TWILIO_AUTH_TOKEN: TWILIO.token,
      TWILIO_FROM: TWILIO.from,
      // Nothing is texted here; should a fuzzed request make the app try, the call fails fast on loopback.
      TWILIO_API_BASE_URL: 'http://127.0.0.1:9',
    });
    const db = server.deps.db;
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 30 * DAY_MS);
    const surveyTokens: string[] = [];
    for (const contactId of [1, 2, 3]) {
      await aContact(db, TEST_PORTAL_ID, { contactId, email: `fuzz${contactId}@example.com` });
      const { id } = await anInvitation(db, {
        portalId: TEST_PORTAL_ID,
        contactId,
        trigger: 'deal',
        milestoneKey: `fuzz:${contactId}`,
        channel: 'email',
        status: 'sent',
        scheduledFor: now,
        sentAt: now,
        expiresAt,
      });
      surveyTokens.push(
        createSurveyToken(server.config.surveySigningKey, { portalId: TEST_PORTAL_ID, invitationId: id, expiresAt }),
      );
    }
    const { key: tvKey } = await createTvLink(db, TEST_PORTAL_ID, 'fuzz wall', 'fuzz');
    const origin = 'https://app.fuzz.test';
    await saveSettings(db, TEST_PORTAL_ID, {
      webSurvey: { enabled: true, allowedOrigins: [origin], askOnVisit: true },
    });
    const web = await anInvitation(db, {
      portalId: TEST_PORTAL_ID,
      contactId: 1,
      channel: 'web',
      status: 'sent',
      sentAt: now,
    });
    const secret = await ensureWidgetSecret(server.deps, TEST_PORTAL_ID);
    const widget = {
      origin,
      email: 'fuzz1@example.com',
      userHash: signIdentity(secret, 'fuzz1@example.com'),
      invitationId: web.id,
    };
    await saveSettings(db, TEST_PORTAL_ID, {
      triggers: [{ id: 'won', objectType: 'deal', pipelineId: '*', stageId: 'closedwon', delayHours: 0 }],
    });
    const dashboard = await crawlDashboard(server.deps, server.url);
    const mounted = mountedRoutes(server.app);
    // Live values for path parameters, so a fuzzed path reaches the handler behind the lookups.
    const params: Record<string, string[]> = {
      token: surveyTokens,
      portalId: [String(TEST_PORTAL_ID)],
      contactId: ['1', '2', '3'],
      companyId: ['1'],
      responseId: ['1'],
      rule: ['won'],
      // Sections behind /dashboard/settings/:section (not the pages mounted at their own path).
      section: [
        ...new Set(
          dashboard.links
            .filter((l) => !mounted.some((r) => r.path === l))
            .flatMap((l) => /^\/dashboard\/settings\/([a-z-]+)$/.exec(l)?.[1] ?? []),
        ),
      ],
      version: ['1', '2'],
      site: ['0', '1', 'google'],
      id: [web.id],
      code: ['abcdefghijkl', 'abc'],
    };
    live = { surveyTokens, tvKey, widget, mounted, dashboard, params };
  });

  afterAll(async () => {
    await server?.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it(`${REQUESTS} fuzzed requests on every public route (signed where needed) answer no 5xx and /healthz stays 200`, async () => {
    const all = routes(live);
    const request = fc.oneof(...all);
    const statuses = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
    const routesHit = new Set<string>();
    let requests = 0;
    let healthChecks = 0;
    let healthy = true;
    /** Signed requests the signature check let through (neither 401 nor 415): proof the fuzzed bytes were signed right. */
    let signedAccepted = 0;
    const failures: string[] = [];

    // First every mounted route once, signed in: a route no arbitrary happens to draw is still reached.
    const reached = new Set<string>();
    for (const r of sweep(live.mounted, live.dashboard, live.params)) {
      const { status, text } = await send(server.url, r);
      const route = routeReached(live.mounted, r.method, r.path);
      if (route) reached.add(route);
      if (status >= 500 && !documented503(status, text))
        failures.push(
          `sweep: ${r.method} ${r.path} answered ${status}\n${printable(r)}\nresponse: ${text.slice(0, 500)}`,
        );
    }
    let fuzzedReached = 0;
    const reachedByFuzz = new Set<string>();

    const batches = Math.ceil(REQUESTS / BATCH);
    for (let b = 0; b < batches && failures.length === 0; b++) {
      const result = await fc.check(
        fc.asyncProperty(request, async (r) => {
          const { status, text } = await send(server.url, r);
          requests++;
          routesHit.add(r.route);
          const route = routeReached(live.mounted, r.method, r.path);
          if (route) {
            fuzzedReached++;
            reachedByFuzz.add(route);
          }
          if ((r.sign === 'v3' || r.sign === 'v2' || r.sign === 'twilio') && status !== 401 && status !== 415)
            signedAccepted++;
          statuses[`${Math.floor(status / 100)}xx` as keyof typeof statuses]++;
          return status < 500 || documented503(status, text);
        }),
        { numRuns: Math.min(BATCH, REQUESTS - b * BATCH), seed: SEED + b, endOnFailure: false },
      );
      if (result.failed) {
        const ce = result.counterexample?.[0] as FuzzRequest | undefined;
        const again = ce
          ? await send(server.url, ce).catch((e: unknown) => ({ status: -1, text: String(e) }))
          : undefined;
        const message =
          `fuzz seed ${SEED + b}: ${ce?.route ?? '?'} answered ${again?.status ?? '?'} (shrunk ${result.numShrinks}×)\n` +
          `${ce ? printable(ce) : String(result.errorInstance)}\nresponse: ${again?.text.slice(0, 500) ?? ''}`;
        console.error(message);
        failures.push(message);
      }
      const health = await fetch(`${server.url}/healthz`);
      healthChecks++;
      if (health.status !== 200) {
        healthy = false;
        failures.push(`/healthz answered ${health.status} after ${requests} requests: ${await health.text()}`);
      }
    }

    expect(failures).toEqual([]);
    expect(healthy).toBe(true);
    expect(routesHit.size).toBe(all.length);
    expect(signedAccepted).toBeGreaterThan(0);
    // Every route the app mounts was reached (the sweep guarantees it; the fuzzing reaches most again).
    expect(live.mounted.filter((r) => !reached.has(`${r.method} ${r.path}`))).toEqual([]);
    recordProof({
      proof: 'fuzzed requests on every public route',
      passWhen: 'no 5xx (bar the documented HubSpot 503), the server keeps answering, /healthz 200 every 100 requests',
      pass: true,
      figures: {
        requests,
        'mounted routes': live.mounted.length,
        'dashboard pages crawled': live.dashboard.pages,
        'dashboard forms fuzzed': live.dashboard.forms.length,
        'mounted routes reached by fuzzing': reachedByFuzz.size,
        'requests reaching a route': fuzzedReached,
        ...statuses,
        signedAccepted,
        healthChecks,
        seed: SEED,
      },
    });
  });
});
