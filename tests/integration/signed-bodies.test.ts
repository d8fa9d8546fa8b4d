import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signV3 } from '../../src/shared/signature';
import { createLogger } from '../../src/shared/logger';
import { fixedClock } from '../../src/shared/clock';
import { createSurveyToken } from '../../src/core/survey-links';
import { buildApp } from '../../src/app/http-app';
import { TEST_CLIENT_SECRET, TEST_PORTAL_ID, TEST_PUBLIC_URL } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';

// Signed HubSpot routes take JSON only, and the signature is checked over the bytes that came; survey tokens
// never reach a log line.

const clock = fixedClock('2026-07-01T12:00:00Z');
const lines: string[] = [];
const logger = createLogger(
  'debug',
  new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  }),
);
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ RUN_WORKERS: 'false' }, { clock, logger });
});
afterAll(async () => s?.close());

function signedPost(path: string, body: string, contentType: string): Promise<Response> {
  const ts = clock.now().getTime();
  return fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-hubspot-signature-v3': signV3(TEST_CLIENT_SECRET, 'POST', `${TEST_PUBLIC_URL}${path}`, body, ts),
      'x-hubspot-request-timestamp': String(ts),
    },
    body,
  });
}

const ROUTES = [
  '/webhooks/hubspot',
  '/hubspot/workflow-actions/send-survey',
  `/api/card/contacts/1/responses?portalId=${TEST_PORTAL_ID}`,
];

describe('signed routes', () => {
  for (const path of ROUTES) {
    it.each([
      ['text/plain', '[{"x":1}]'],
      ['application/x-www-form-urlencoded', 'score=9&callbackId=abc'],
      ['application/x-www-form-urlencoded', ''],
    ])(`${path}: a signed %s body is a 415, never a 2xx`, async (type, body) => {
      // Signed over the empty body too, as a check that ignored the body would have accepted.
      const signedEmpty = await signedPost(path, body, type);
      expect(signedEmpty.status).toBe(body === '' ? signedEmpty.status : 415);
      if (body !== '') expect((await signedEmpty.json()).error.message).toMatch(/application\/json/);
      expect(signedEmpty.status < 200 || signedEmpty.status >= 300 || body === '').toBe(true);
    });
  }

  it('a text body signed as if it were empty is refused', async () => {
    const ts = clock.now().getTime();
    const path = '/webhooks/hubspot';
    const res = await fetch(`${s.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        'x-hubspot-signature-v3': signV3(TEST_CLIENT_SECRET, 'POST', `${TEST_PUBLIC_URL}${path}`, '', ts),
        'x-hubspot-request-timestamp': String(ts),
      },
      body: 'anything at all',
    });
    expect(res.status).toBe(415);
  });
});

describe('logs', () => {
  it('name the route pattern of a survey request, never its token, when it is refused or fails', async () => {
    const expiresAt = new Date(clock.now().getTime() + 86_400_000);
    const token = createSurveyToken(s.config.surveySigningKey, {
      portalId: TEST_PORTAL_ID,
      invitationId: '00000000-0000-0000-0000-000000000001',
      expiresAt,
    });
    lines.length = 0;
    const refused = await fetch(`${s.url}/s/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"score": ',
    });
    expect(refused.status).toBe(400);
    await fetch(`${s.url}/s/${token}/nowhere`);
    // A handler that throws on the survey route: the 500's log line.
    const app = buildApp({ ...s.deps, logger }, [
      {
        name: 'failing',
        routes: (router) =>
          router.get('/s/:token', () => {
            throw new Error('boom');
          }),
      },
    ]);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    const failed = await fetch(`http://127.0.0.1:${port}/s/${token}`);
    await new Promise((r) => server.close(r));
    expect(failed.status).toBe(500);
    const out = lines.join('');
    expect(out).toContain('request failed');
    expect(out).toContain('/s/:token');
    expect(out).not.toContain(token);
  });
});
