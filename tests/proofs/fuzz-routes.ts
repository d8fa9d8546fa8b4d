import fc from 'fast-check';
import { TEST_PORTAL_ID } from '../helpers/env';
import {
  ADMIN,
  adminJson,
  anyBody,
  BODY_LIMIT,
  contentType,
  type FuzzRequest,
  json,
  method,
  num,
  queryString,
  segment,
  type Sign,
  text,
  twilioForm,
  webhookEvent,
  workflowExecution,
} from './fuzz-arbitraries';
import { anyMountedRoute, type Dashboard, type MountedRoute } from './fuzz-mounted';

// Every public route as a fast-check arbitrary of requests (sent by fuzz-send.ts).

// ---- routes ------------------------------------------------------------------------------------------------------

export interface Live {
  surveyTokens: string[];
  tvKey: string;
  /** The web survey: a listed origin, a correctly signed identity and its open web invitation. */
  widget: { origin: string; email: string; userHash: string; invitationId: string };
  /** Every route the app mounts, a signed-in admin with the dashboard's forms, and live values for path parameters. */
  mounted: MountedRoute[];
  dashboard: Dashboard;
  params: Record<string, string[]>;
}

export function routes(live: Live): fc.Arbitrary<FuzzRequest>[] {
  const sign = fc.constantFrom<Sign>('v3', 'v3', 'v3', 'none', 'bad');
  const surveyToken = fc.oneof(
    fc.constantFrom(...live.surveyTokens),
    fc.constantFrom(...live.surveyTokens).map((t) => t.slice(0, -2) + 'AA'),
    segment,
  );
  const cardQuery = fc
    .record(
      {
        portalId: fc.oneof(fc.constant(String(TEST_PORTAL_ID)), fc.constant('999'), text),
        userId: fc.oneof(fc.constant('42'), text),
        userEmail: fc.oneof(fc.constant('owner@example.com'), text),
        appId: fc.oneof(fc.constant('1'), text),
      },
      { requiredKeys: [] },
    )
    .chain((q) => queryString.map((extra) => ({ q, extra })))
    .map(({ q, extra }) => {
      const s = new URLSearchParams(q as Record<string, string>).toString();
      return s ? `?${s}${extra ? '&' + extra.slice(1) : ''}` : extra;
    });
  const auth = fc.constantFrom<Record<string, string>>(
    { authorization: `Bearer ${ADMIN}` },
    { authorization: `Bearer ${ADMIN}` },
    {},
    { authorization: 'Bearer wrong' },
    { authorization: 'Basic Zm9vOmJhcg==' },
    { cookie: 'nps_session=garbage' },
  );
  const req = (
    route: string,
    parts: {
      method: fc.Arbitrary<string>;
      path: fc.Arbitrary<string>;
      body?: fc.Arbitrary<string | undefined>;
      headers?: fc.Arbitrary<Record<string, string>>;
      sign?: fc.Arbitrary<Sign>;
      contentType?: fc.Arbitrary<string>;
    },
  ): fc.Arbitrary<FuzzRequest> =>
    fc
      .record({
        method: parts.method,
        path: parts.path,
        body: fc.oneof(
          { weight: 20, arbitrary: parts.body ?? fc.option(anyBody, { nil: undefined }) },
          { weight: 1, arbitrary: fc.constant(undefined) },
        ),
        oversized: fc.oneof(
          { weight: 40, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT + 200_000 }) },
        ),
        contentType: parts.contentType ?? contentType,
        headers: parts.headers ?? fc.constant({}),
        sign: parts.sign ?? fc.constant<Sign>('none'),
      })
      .map(({ method, path, body, oversized, contentType: ct, headers, sign: s }) => ({
        route,
        method,
        path,
        headers: { ...(ct ? { 'content-type': ct } : {}), ...headers },
        ...(body !== undefined ? { body } : {}),
        ...(oversized ? { oversized } : {}),
        sign: s,
      }));
  const postish = fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT');

  return [
    req('POST /webhooks/hubspot', {
      method: postish,
      path: queryString.map((q) => `/webhooks/hubspot${q}`),
      body: fc.oneof(
        fc.array(webhookEvent, { maxLength: 5 }).map((a) => JSON.stringify(a)),
        fc.array(webhookEvent, { minLength: 101, maxLength: 130 }).map((a) => JSON.stringify(a)),
        anyBody,
      ),
      sign,
    }),
    req('POST /hubspot/workflow-actions/send-survey', {
      method: postish,
      path: queryString.map((q) => `/hubspot/workflow-actions/send-survey${q}`),
      body: fc.oneof(
        workflowExecution.map((e) => JSON.stringify(e)),
        anyBody,
      ),
      sign: fc.constantFrom<Sign>('v3', 'v2', 'v2', 'none', 'bad'),
    }),
    req('GET /api/card/:type/:id', {
      method: fc.constantFrom('GET', 'GET', 'POST', 'DELETE'),
      path: fc
        .tuple(fc.constantFrom('contacts', 'companies'), fc.oneof(fc.constantFrom('1', '2', '3'), segment), cardQuery)
        .map(([t, id, q]) => `/api/card/${t}/${id}${q}`),
      sign,
    }),
    req('POST /api/card/contacts/:id/(surveys|responses)', {
      method: postish,
      path: fc
        .tuple(fc.oneof(fc.constantFrom('1', '2', '3'), segment), fc.constantFrom('surveys', 'responses'), cardQuery)
        .map(([id, what, q]) => `/api/card/contacts/${id}/${what}${q}`),
      body: fc.oneof(
        fc
          .record(
            { score: num, comment: text, requestKey: fc.oneof(fc.uuid(), text), confirm: fc.oneof(fc.boolean(), json) },
            { requiredKeys: [] },
          )
          .map((b) => JSON.stringify(b)),
        anyBody,
      ),
      sign,
    }),
    req('POST /api/card/dashboard-link', {
      method: postish,
      path: cardQuery.map((q) => `/api/card/dashboard-link${q}`),
      sign,
    }),
    req('GET|POST /s/:token', {
      method: fc.constantFrom('GET', 'POST', 'POST', 'PUT'),
      path: fc
        .tuple(surveyToken, fc.constantFrom('', '', '/unsubscribe', '/thanks'), queryString)
        .map(([t, tail, q]) => `/s/${t}${tail}${q}`),
      body: fc.oneof(
        fc
          .record(
            { score: fc.oneof(fc.integer({ min: -2, max: 12 }).map(String), text), comment: text, followUp: text },
            { requiredKeys: [] },
          )
          .map((f) => new URLSearchParams(f as Record<string, string>).toString()),
        anyBody,
      ),
      headers: fc.constantFrom<Record<string, string>>({}, { accept: 'text/html' }, { 'accept-language': 'de-DE' }),
    }),
    req('GET /oauth/install|callback', {
      method: fc.constantFrom('GET', 'GET', 'POST'),
      path: fc.oneof(
        fc.constant('/oauth/install'),
        fc
          .record({ code: text, state: text, error: text, error_description: text }, { requiredKeys: [] })
          .map((q) => `/oauth/callback?${new URLSearchParams(q as Record<string, string>).toString()}`),
        queryString.map((q) => `/oauth/callback${q}`),
      ),
      headers: fc.constantFrom<Record<string, string>>({}, { cookie: 'nps_oauth_state=abc' }, { accept: 'text/html' }),
    }),
    req('/dashboard/sign-in', {
      method: fc.constantFrom('GET', 'POST', 'POST'),
      path: fc.oneof(
        fc.constant('/dashboard/sign-in'),
        segment.map((t) => `/dashboard/sign-in/link/${t}`),
        fc.constant('/dashboard/sign-out'),
      ),
      body: fc.oneof(
        fc
          .record({ token: fc.oneof(fc.constant(ADMIN), text), nonce: text }, { requiredKeys: [] })
          .map((f) => new URLSearchParams(f as Record<string, string>).toString()),
        anyBody,
      ),
      headers: fc.constantFrom<Record<string, string>>(
        {},
        { cookie: 'nps_sign_in=x' },
        { origin: 'https://evil.example' },
      ),
    }),
    req('/api/insights/*, /api/settings, /api/invitations', {
      method: fc.constantFrom('GET', 'GET', 'GET', 'PUT', 'POST'),
      path: fc
        .tuple(
          fc.constantFrom(
            '/api/insights/headline',
            '/api/insights/trend',
            '/api/insights/distribution',
            '/api/insights/segments',
            '/api/insights/heroes',
            '/api/insights/comments',
            '/api/insights/export.csv',
            '/api/insights/tv',
            '/api/insights/tv-links',
            '/api/settings',
            '/api/settings/admins',
            '/api/invitations',
            '/api/invitations/skips/summary',
          ),
          queryString,
        )
        .map(([p, q]) => p + q),
      headers: auth,
    }),
    req('/dashboard, /dashboard/tv', {
      method: fc.constantFrom('GET', 'GET', 'POST'),
      path: fc.oneof(
        fc.constant('/dashboard'),
        fc
          .oneof(fc.constant(live.tvKey), text)
          .map((k) => `/dashboard/tv?${new URLSearchParams({ key: k }).toString()}`),
        fc
          .oneof(fc.constant(live.tvKey), text)
          .map((k) => `/dashboard/tv?${new URLSearchParams({ token: k }).toString()}`),
        fc.constant('/dashboard/tv-links'),
        segment.map((id) => `/dashboard/tv-links/${id}/revoke`),
      ),
      headers: fc.oneof(auth, fc.constantFrom({ 'x-tv-key': live.tvKey }, { 'x-tv-key': '\u00ff' })),
    }),
    req('/healthz, /metrics', {
      method: fc.constantFrom('GET', 'GET', 'POST', 'HEAD'),
      path: fc.tuple(fc.constantFrom('/healthz', '/metrics'), queryString).map(([p, q]) => p + q),
    }),
    req('POST /widget/v1/:portalId/(due|answer|dismiss)', {
      method: fc.constantFrom('POST', 'POST', 'POST', 'OPTIONS', 'GET'),
      path: fc
        .tuple(
          fc.oneof(
            fc.constant(String(TEST_PORTAL_ID)),
            fc.constant(String(TEST_PORTAL_ID)),
            fc.constant('999'),
            segment,
          ),
          fc.constantFrom('due', 'answer', 'dismiss'),
          queryString,
        )
        .map(([portal, action, q]) => `/widget/v1/${portal}/${action}${q}`),
      body: fc.oneof(
        fc
          .record(
            {
              email: fc.oneof(fc.constant(live.widget.email), text),
              userHash: fc.oneof(fc.constant(live.widget.userHash), text),
              hubspotContactId: fc.oneof(text, num),
              invitationId: fc.oneof(fc.constant(live.widget.invitationId), text),
              score: fc.oneof(fc.integer({ min: -1, max: 11 }), text, json),
              comment: fc.oneof(text, json),
              followUp: fc.oneof(text, json),
            },
            { requiredKeys: [] },
          )
          .map((b) => JSON.stringify(b)),
        anyBody,
      ),
      headers: fc.constantFrom<Record<string, string>>(
        { origin: live.widget.origin },
        { origin: live.widget.origin },
        { origin: 'https://evil.test' },
        {},
      ),
    }),
    req('POST /webhooks/twilio/(status|inbound)', {
      method: fc.constantFrom('POST', 'POST', 'POST', 'GET'),
      path: fc
        .tuple(fc.constantFrom('status', 'inbound'), fc.oneof({ weight: 4, arbitrary: fc.constant('') }, queryString))
        .map(([what, q]) => `/webhooks/twilio/${what}${q}`),
      body: fc.oneof({ weight: 4, arbitrary: twilioForm }, { weight: 1, arbitrary: anyBody }),
      contentType: fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/x-www-form-urlencoded') },
        { weight: 1, arbitrary: contentType },
      ),
      sign: fc.constantFrom<Sign>('twilio', 'twilio', 'twilio', 'none', 'bad'),
    }),
    req('/api/themes, /api/segments, /api/alerts (JSON)', {
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
      path: fc
        .tuple(
          fc.oneof(
            fc.constantFrom(
              ...live.mounted.map((r) => r.path).filter((p) => /^\/api\/(themes|segments|alerts)/.test(p)),
            ),
          ),
          fc.oneof(fc.constantFrom(...(live.params.id ?? ['1'])), segment),
          queryString,
        )
        .map(([p, id, q]) => p.replace(':id', id) + q),
      body: fc.oneof(
        { weight: 3, arbitrary: adminJson.map((b) => JSON.stringify(b)) },
        { weight: 1, arbitrary: anyBody },
      ),
      headers: fc.oneof(auth, fc.constant({ cookie: live.dashboard.cookie, 'x-csrf-token': live.dashboard.csrf })),
    }),
    anyMountedRoute(live.mounted, live.dashboard, live.params),
    req('random path', {
      method,
      path: fc
        .tuple(fc.array(segment, { minLength: 1, maxLength: 5 }), queryString)
        .map(([segs, q]) => '/' + segs.join('/') + q),
    }),
  ];
}
