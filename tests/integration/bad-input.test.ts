import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { DAY_MS } from '../../src/shared/clock';
import { createSurveyToken } from '../../src/core/survey-links';
import { TEST_PORTAL_ID } from '../helpers/env';
import { signedFetch } from '../helpers/signed';
import { aContact, aResponse, anInvitation } from '../factories';
import { seedContact } from '../card/seed';
import { Browser } from './dashboard-http';
import { PORTAL, useInsightsServer } from './insights-fixture';

// Text no database column can hold (NUL, an unpaired UTF-16 surrogate) at every input: a 400 that names the
// field, or (for a respondent's free text) stored stripped; never a 500. Crafted cursors and URLs likewise.

const ADMIN = 'test-admin-token-0123456789';
const clock = fixedClock('2026-07-01T12:00:00Z');
const s = useInsightsServer(clock);
const BAD = ['\u0000', '\ud800'];
const bearer = { authorization: `Bearer ${ADMIN}` };

const json = (path: string, method: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${s().url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...bearer, ...headers },
    body,
  });

describe('the survey answer', () => {
  it.each(BAD)('stores a comment and follow-up answer holding %j cleaned of it', async (bad) => {
    const db = s().deps.db;
    const contactId = bad === '\u0000' ? 9101 : 9102;
    await aContact(db, PORTAL, { contactId, email: `c${contactId}@example.com` });
    const expiresAt = new Date(clock.now().getTime() + 30 * DAY_MS);
    const { id } = await anInvitation(db, {
      portalId: PORTAL,
      contactId,
      trigger: 'deal',
      milestoneKey: `m:${contactId}`,
      channel: 'email',
      followUpQuestion: 'Why?',
      status: 'sent',
      scheduledFor: clock.now(),
      sentAt: clock.now(),
      expiresAt,
    });
    const token = createSurveyToken(s().config.surveySigningKey, { portalId: PORTAL, invitationId: id, expiresAt });
    const res = await fetch(`${s().url}/s/${token}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ score: '9', comment: `Go${bad}od`, followUp: `Fa${bad}st` }),
    });
    expect(res.status).toBe(303);
    const row = await db.query<{ comment: string; follow_up_answer: string }>(
      'SELECT comment, follow_up_answer FROM responses WHERE invitation_id = $1',
      [id],
    );
    // NUL goes; an unpaired surrogate becomes U+FFFD (src/shared/text.ts).
    const kept = bad === '\u0000' ? '' : '\ufffd';
    expect(row.rows[0]).toEqual({ comment: `Go${kept}od`, follow_up_answer: `Fa${kept}st` });
  });
});

describe('the card', () => {
  it.each(BAD)('refuses a logged response whose comment holds %j, naming the field', async (bad) => {
    await seedContact(s().deps.db, TEST_PORTAL_ID, { contactId: '9201' });
    const path = `/api/card/contacts/9201/responses?portalId=${TEST_PORTAL_ID}&userId=11`;
    const res = await signedFetch(s().url, path, {
      method: 'POST',
      rawBody: JSON.stringify({ score: 9, comment: `x${bad}y` }),
      timestamp: clock.now().getTime(),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.outcome).toBe('invalid_input');
    expect(body.message).toContain('comment');
  });
});

describe('the workflow action', () => {
  it.each(BAD)('refuses a callbackId holding %j with a 400 naming it', async (bad) => {
    const res = await signedFetch(s().url, '/hubspot/workflow-actions/send-survey', {
      method: 'POST',
      rawBody: JSON.stringify({
        callbackId: `cb${bad}1`,
        origin: { portalId: TEST_PORTAL_ID },
        object: { objectId: 1, objectType: 'CONTACT' },
        inputFields: {},
      }),
      timestamp: clock.now().getTime(),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('callbackId');
  });
});

describe('settings', () => {
  it.each(BAD)('PUT /api/settings with %j in a text field is a 400 naming the field', async (bad) => {
    const current = (await (await fetch(`${s().url}/api/settings`, { headers: bearer })).json()).settings;
    const body = JSON.stringify({ ...current, brand: { ...current.brand, name: `Acme${bad}` } });
    const res = await json('/api/settings', 'PUT', body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('brand.name');
  });

  it.each(['javascript:alert(1)', 'data:text/html,hi', 'ftp://example.com/x'])(
    'refuses followUps.reviewUrl %s with a 400 naming the field',
    async (url) => {
      const current = (await (await fetch(`${s().url}/api/settings`, { headers: bearer })).json()).settings;
      const body = JSON.stringify({ ...current, followUps: { ...current.followUps, reviewUrl: url } });
      const res = await json('/api/settings', 'PUT', body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain('followUps.reviewUrl');
    },
  );

  it('accepts an https reviewUrl', async () => {
    const current = (await (await fetch(`${s().url}/api/settings`, { headers: bearer })).json()).settings;
    const body = JSON.stringify({ ...current, followUps: { ...current.followUps, reviewUrl: 'https://g.co/r' } });
    expect((await json('/api/settings', 'PUT', body)).status).toBe(200);
  });
});

describe('TV link label', () => {
  it.each(BAD)('a label holding %j is a 400 naming the field', async (bad) => {
    const b = new Browser(s().url);
    const csrf = await b.signIn(ADMIN);
    const res = await b.fetch('/dashboard/tv-links', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ label: `Lobby${bad}`, _csrf: csrf }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('label');
  });
});

describe('dashboard search and paging', () => {
  it('a comments search holding NUL is a 400 naming q', async () => {
    const res = await fetch(`${s().url}/api/insights/comments?q=a%00b`, { headers: bearer });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('q');
  });

  it.each([
    Buffer.from(`2026-06-01T00:00:00.000Z|${'-'.repeat(36)}`).toString('base64url'),
    Buffer.from('0000-01-01T00:00:00.000Z|00000000-0000-0000-0000-000000000000').toString('base64url'),
    Buffer.from('+275760-09-13T00:00:00.000Z|00000000-0000-0000-0000-000000000000').toString('base64url'),
    Buffer.from('1|00000000-0000-0000-0000-000000000000').toString('base64url'),
  ])('a crafted invitations cursor %s is a 400 naming after', async (after) => {
    const res = await fetch(`${s().url}/api/invitations?after=${after}`, { headers: bearer });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('after');
  });
});

describe('CSV export', () => {
  it('completes when stored text holds characters a spreadsheet cannot take', async () => {
    const db = s().deps.db;
    await aContact(db, PORTAL, { contactId: 9301, email: 'c9301@example.com' });
    await aResponse(db, {
      portalId: PORTAL,
      contactId: 9301,
      score: 3,
      comment: 'bad\u0001 \ufffd \u001b text',
      answeredAt: new Date('2026-06-20T10:00:00Z'),
    });
    const res = await fetch(`${s().url}/api/insights/export.csv?from=2026-06-01&to=2026-06-30`, { headers: bearer });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('bad');
    expect(text.endsWith('\r\n')).toBe(true);
    expect([...text].filter((c) => c < ' ' && !'\t\r\n'.includes(c))).toEqual([]);
  });
});
