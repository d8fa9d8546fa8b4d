import type { Express, Request, Response } from 'express';
import fc from 'fast-check';
import { startSession } from '../../src/auth/session';
import type { AppDeps } from '../../src/core';
import { TEST_PORTAL_ID } from '../helpers/env';
import {
  ADMIN,
  anyBody,
  contentType,
  type FuzzRequest,
  json,
  num,
  queryString,
  segment,
  text,
} from './fuzz-arbitraries';

// Every route the app mounts, read from its router rather than listed by hand, so a route added later is fuzzed
// (and counted) without anyone remembering to add it here. Dashboard pages are crawled with a signed-in admin
// session, and every form found is fuzzed with its own field names and CSRF token.

export interface MountedRoute {
  method: string;
  path: string;
}

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

/** Every route of the app's router: method (ALL for router.all) and path pattern. */
export function mountedRoutes(app: Express): MountedRoute[] {
  const out: MountedRoute[] = [];
  const walk = (stack: RouterLayer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods))
          out.push({ method: m === '_all' ? 'ALL' : m.toUpperCase(), path: layer.route.path });
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack);
  return out;
}

const key = (r: MountedRoute) => `${r.method} ${r.path}`;

/** The mounted route (as "METHOD /pattern") a request reaches, if any; HEAD reaches GET routes as in Express. */
export function routeReached(mounted: MountedRoute[], method: string, path: string): string | undefined {
  const pathname = path.split('?')[0]!;
  const m = method === 'HEAD' ? 'GET' : method;
  const hit = mounted.find((r) => (r.method === m || r.method === 'ALL') && patternOf(r.path).test(pathname));
  return hit && key(hit);
}

function patternOf(path: string): RegExp {
  const source = path
    .split('/')
    .map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

// ---- a signed-in admin and the dashboard's forms ---------------------------------------------------------------

export interface Dashboard {
  /** The session cookie ("name=value") of an admin signed in with the admin token. */
  cookie: string;
  csrf: string;
  /** Every form found on the crawled pages: where it posts and the names of its fields. */
  forms: Array<{ action: string; fields: string[] }>;
  /** Same-site links found on the crawled pages. */
  links: string[];
  pages: number;
}

/** Signs an admin in (as the sign-in form does with the admin token) and crawls the dashboard from its menu. */
export async function crawlDashboard(deps: AppDeps, base: string, maxPages = 80): Promise<Dashboard> {
  let setCookie = '';
  const req = { get: () => undefined } as unknown as Request;
  const res = { append: (_: string, v: string) => void (setCookie = v) } as unknown as Response;
  await startSession(deps, req, res, { portalId: TEST_PORTAL_ID, userLabel: 'fuzz admin', adminToken: true });
  const cookie = setCookie.split(';')[0]!;
  let csrf = '';
  const forms = new Map<string, Set<string>>();
  const links = new Set<string>();
  const queue = ['/dashboard', '/dashboard/settings', '/dashboard/themes', '/dashboard/enps/admin'];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < maxPages) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const page = await fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
    if (!(page.headers.get('content-type') ?? '').includes('html')) continue;
    const html = await page.text();
    csrf ||= /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    for (const [, action, inner] of html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
      const fields = forms.get(unescape(action!)) ?? new Set<string>();
      for (const [, name] of inner!.matchAll(/name="([^"]+)"/g)) fields.add(unescape(name!));
      forms.set(unescape(action!), fields);
    }
    for (const [, href] of html.matchAll(/href="(\/(?:dashboard|api|s|e|r|t)\b[^"#]*)"/g)) {
      const link = unescape(href!);
      links.add(link);
      // Not sign-out: the crawl (and the fuzzing after it) needs the session.
      if (link.startsWith('/dashboard') && !link.startsWith('/dashboard/sign-out')) queue.push(link);
    }
  }
  if (!csrf) throw new Error('no CSRF token found on the dashboard pages: is the session valid?');
  return {
    cookie,
    csrf,
    forms: [...forms].map(([action, fields]) => ({ action, fields: [...fields] })),
    links: [...links],
    pages: seen.size,
  };
}

function unescape(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<');
}

// ---- the arbitraries -------------------------------------------------------------------------------------------

/** Requests that would end the fuzzer's own session or invalidate its fixtures are sent without the session. */
const KEEP_OUT = [/^\/dashboard\/sign-out/, /^\/dashboard\/settings\/web-survey\/secret/];

function dashboardAuth(d: Dashboard, path: string): fc.Arbitrary<Record<string, string>> {
  const signedIn = KEEP_OUT.some((r) => r.test(path))
    ? fc.constant({ cookie: 'nps_session=forged.1.x' })
    : fc.constantFrom<Record<string, string>>(
        { cookie: d.cookie, 'x-csrf-token': d.csrf },
        { cookie: d.cookie, 'x-csrf-token': d.csrf },
        { cookie: d.cookie },
        { cookie: d.cookie, 'x-csrf-token': 'wrong' },
      );
  return fc.oneof(
    { weight: 6, arbitrary: signedIn },
    {
      weight: 2,
      arbitrary: fc.constantFrom<Record<string, string>>(
        { authorization: `Bearer ${ADMIN}` },
        {},
        { cookie: 'nps_session=garbage' },
        { authorization: 'Bearer wrong' },
      ),
    },
  );
}

/** A form post with the form's own field names (and CSRF token, mostly), values fuzzed. */
function formBody(d: Dashboard, fields: string[]): fc.Arbitrary<string> {
  const names = fields.filter((f) => f !== '_csrf');
  const value = fc.oneof(
    text,
    num.map(String),
    fc.constantFrom('on', 'true', 'email', 'sms', 'web', 'deal', 'closedwon', '*', '0', '10', 'en', 'de', '#123456'),
  );
  return fc
    .tuple(
      names.length > 0 ? fc.array(fc.tuple(fc.constantFrom(...names), value), { maxLength: 14 }) : fc.constant([]),
      fc.constantFrom(d.csrf, d.csrf, d.csrf, 'wrong', ''),
      fc.array(fc.tuple(text, text), { maxLength: 2 }),
    )
    .map(([pairs, csrf, extra]) => {
      const p = new URLSearchParams(pairs as Array<[string, string]>);
      if (csrf) p.set('_csrf', csrf);
      for (const [k, v] of extra) p.append(k, v);
      return p.toString();
    });
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * Any mounted route: its pattern with parameters filled from live values (or fuzzed), its method mostly, a
 * signed-in admin mostly, and a body shaped like the route's form where the crawl found one.
 */
export function anyMountedRoute(
  mounted: MountedRoute[],
  d: Dashboard,
  params: Record<string, string[]>,
): fc.Arbitrary<FuzzRequest> {
  const filled = fc.constantFrom(...mounted).chain((r) => {
    const parts = r.path.split('/').map((s) => {
      if (!s.startsWith(':')) return fc.constant(s);
      const live = params[s.slice(1)] ?? [];
      return live.length > 0 ? fc.oneof(fc.constantFrom(...live), segment) : segment;
    });
    return fc.tuple(fc.constant(r), ...parts).map(([route, ...segs]) => ({ route, path: segs.join('/') }));
  });
  const concrete = [...d.links, ...d.forms.map((f) => f.action)];
  const target =
    concrete.length > 0
      ? fc.oneof(
          { weight: 3, arbitrary: filled },
          fc.constantFrom(...concrete).map((p) => ({ route: undefined, path: p })),
        )
      : filled;
  return target.chain(({ route, path: p }) => {
    const [pathname] = p.split('?');
    const form = d.forms.find((f) => f.action.split('?')[0] === pathname);
    const own = route?.method && route.method !== 'ALL' ? route.method : form ? 'POST' : 'GET';
    return fc
      .record({
        method: fc.oneof(
          { weight: 8, arbitrary: fc.constant(own) },
          fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'),
        ),
        query: p.includes('?') ? fc.constant('') : queryString,
        headers: dashboardAuth(d, p),
        body: form
          ? fc.oneof({ weight: 4, arbitrary: formBody(d, form.fields) }, anyBody)
          : fc.oneof(
              anyBody,
              json.map((v) => JSON.stringify(v)),
            ),
        ct: form ? fc.oneof({ weight: 4, arbitrary: fc.constant(FORM) }, contentType) : contentType,
      })
      .map(({ method, query, headers, body, ct }) => ({
        route: 'every mounted route',
        method,
        path: p + query,
        headers: { ...(ct ? { 'content-type': ct } : {}), ...headers },
        body,
        sign: 'none' as const,
      }));
  });
}

/** One request per mounted route, signed in, with a form body where one is known: every route is reached once. */
export function sweep(mounted: MountedRoute[], d: Dashboard, params: Record<string, string[]>): FuzzRequest[] {
  return mounted.map((r) => {
    const path = r.path
      .split('/')
      .map((s) => (s.startsWith(':') ? (params[s.slice(1)]?.[0] ?? '1') : s))
      .join('/');
    const method = r.method === 'ALL' ? 'GET' : r.method;
    const form = d.forms.find((f) => f.action.split('?')[0] === path);
    const body = form
      ? new URLSearchParams([
          ...form.fields.filter((f) => f !== '_csrf').map((f) => [f, 'x']),
          ['_csrf', d.csrf],
        ]).toString()
      : '{}';
    return {
      route: 'sweep',
      method,
      path,
      headers: {
        'content-type': form ? FORM : 'application/json',
        ...(KEEP_OUT.some((k) => k.test(path)) ? {} : { cookie: d.cookie, 'x-csrf-token': d.csrf }),
      },
      body,
      sign: 'none',
    };
  });
}
