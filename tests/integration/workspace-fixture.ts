import nock from 'nock';
import { expect } from 'vitest';
import { signedFetch } from '../helpers/signed';
import { Browser, hiddenCsrf } from './dashboard-http';

// HubSpot as the settings workspace sees it: owners and the deal and ticket pipelines of the portal, which a test
// may change (a stage deleted in HubSpot) between two requests.

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface FakePipeline {
  id: string;
  label: string;
  stages: Array<{ id: string; label: string }>;
}

export const pipelines: Record<'deals' | 'tickets', FakePipeline[]> = { deals: [], tickets: [] };

export function resetPipelines(): void {
  pipelines.deals = [
    {
      id: 'default',
      label: 'Sales pipeline',
      stages: [
        { id: 'appointmentscheduled', label: 'Appointment scheduled' },
        { id: 'contractsent', label: 'Contract sent' },
        { id: 'closedwon', label: 'Closed won' },
      ],
    },
    { id: '777', label: 'Renewals', stages: [{ id: '778', label: 'Renewed' }] },
  ];
  pipelines.tickets = [
    {
      id: '0',
      label: 'Support pipeline',
      stages: [
        { id: '1', label: 'New' },
        { id: '4', label: 'Closed' },
      ],
    },
  ];
}

/** Persistent interceptors for the owners and pipelines reads; replies follow `pipelines` as it is now. */
export function nockWorkspaceHubSpot(): void {
  resetPipelines();
  nock('https://api.hubapi.com')
    .persist()
    .get('/crm/v3/owners')
    .query(true)
    .reply(200, {
      results: [
        { id: '11', email: 'ines@example.com', firstName: 'Ines', lastName: 'Ito' },
        { id: '22', email: 'omar@example.com', firstName: 'Omar', lastName: 'Oduya' },
      ],
    })
    .get(/^\/crm\/v3\/pipelines\/(deals|tickets)$/)
    .reply((uri) => {
      const kind = uri.endsWith('deals') ? 'deals' : 'tickets';
      const results = pipelines[kind].map((p, i) => ({
        id: p.id,
        label: p.label,
        displayOrder: i,
        stages: p.stages.map((s, j) => ({ ...s, displayOrder: j, metadata: {} })),
      }));
      return [200, { results }];
    });
}

/** A browser signed in with the admin token, and its CSRF token. */
export async function signedInAdmin(url: string): Promise<{ b: Browser; csrf: string }> {
  const b = new Browser(url);
  return { b, csrf: await b.signIn(ADMIN_TOKEN) };
}

/** A browser signed in as a HubSpot user through the NPS card's one-time link (a viewer unless made admin). */
export async function signedInAs(
  url: string,
  portalId: number,
  userId: number,
  email: string,
  now: number,
): Promise<{ b: Browser; csrf: string }> {
  const query = `portalId=${portalId}&userId=${userId}&userEmail=${encodeURIComponent(email)}&appId=77`;
  const res = await signedFetch(url, `/api/card/dashboard-link?${query}`, { body: {}, timestamp: now });
  expect(res.status).toBe(200);
  const { url: link } = (await res.json()) as { url: string };
  const b = new Browser(url);
  expect((await b.fetch(new URL(link).pathname)).status).toBe(303);
  return { b, csrf: await b.csrf() };
}

/** The form fields of a workspace page as a browser would submit them (text, selects, checked boxes). */
export function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = { _csrf: hiddenCsrf(html) };
  for (const m of html.matchAll(/<input ([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name || name === '_csrf') continue;
    if (/type="checkbox"/.test(attrs)) {
      if (/ checked/.test(attrs)) fields[name] = 'on';
      continue;
    }
    fields[name] = unescape(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
  }
  for (const m of html.matchAll(/<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected>/.exec(m[2]!) ?? /<option value="([^"]*)"/.exec(m[2]!);
    fields[m[1]!] = unescape(selected?.[1] ?? '');
  }
  for (const m of html.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
    fields[m[1]!] = unescape(m[2]!);
  return fields;
}

function unescape(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
