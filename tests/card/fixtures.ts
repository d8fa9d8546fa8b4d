import { vi } from 'vitest';
import type { CompanyCard, ContactCard } from '../../extensions/app/cards/contract';

// Card API answers as the backend would send them, and a stand-in for HubSpot's `self.hsFetch` (HUBSPOT.md §2.3).

export function promoterCard(overrides: Partial<ContactCard> = {}): ContactCard {
  const history: ContactCard['history'] = Array.from({ length: 12 }, (_, i) => ({
    answeredAt: new Date(Date.UTC(2026, 0, 1 + (11 - i) * 7)).toISOString(),
    score: i === 0 ? 9 : 6 + (i % 4),
    category: i === 0 ? 'promoter' : 6 + (i % 4) >= 9 ? 'promoter' : 6 + (i % 4) >= 7 ? 'passive' : 'detractor',
    comment: i === 0 ? 'Great onboarding' : null,
    source:
      i === 0
        ? { type: 'deal', id: '555', url: 'https://app.hubspot.com/contacts/1001/record/0-3/555', label: 'Deal 555' }
        : { type: 'manual', label: 'Logged by hand' },
    channel: i === 0 ? 'email' : 'manual',
  }));
  return {
    contactId: '42',
    score: 9,
    category: 'promoter',
    currentAnsweredAt: history[0]!.answeredAt,
    history,
    historyTotal: history.length,
    trend: [...history].reverse().map((h) => ({ date: h.answeredAt, score: h.score })),
    openFollowUps: [
      {
        id: '9001',
        subject: 'Ask for a review',
        ownerId: '77',
        ownerName: 'Ada Lovelace',
        dueAt: '2026-04-02T09:00:00.000Z',
        priority: 'LOW',
        url: 'https://app.hubspot.com/tasks/1001/view/all/task/9001',
        contactId: '42',
      },
    ],
    surveyStatus: { state: 'answered', sentAt: '2026-03-20T10:00:00.000Z' },
    canSend: { allowed: true, needsConfirmation: false },
    ...overrides,
  };
}

export function emptyCard(overrides: Partial<ContactCard> = {}): ContactCard {
  return {
    contactId: '42',
    score: null,
    category: null,
    currentAnsweredAt: null,
    history: [],
    historyTotal: 0,
    trend: [],
    openFollowUps: [],
    surveyStatus: { state: 'none' },
    canSend: { allowed: true, needsConfirmation: false },
    ...overrides,
  };
}

export function companyCard(overrides: Partial<CompanyCard> = {}): CompanyCard {
  return {
    companyId: '7',
    name: 'Acme',
    nps: 20,
    marginOfError: 61.2,
    n: 5,
    tooFew: true,
    counts: { promoters: 2, passives: 2, detractors: 1 },
    contacts: [
      { contactId: '1', name: 'Ada Lovelace', score: 10, category: 'promoter', answeredAt: '2026-03-01T00:00:00.000Z' },
      { contactId: '2', name: 'Alan Turing', score: 3, category: 'detractor', answeredAt: '2026-02-01T00:00:00.000Z' },
    ],
    contactsTotal: 2,
    openFollowUps: [
      {
        id: '9100',
        subject: 'Call back about the outage',
        ownerId: '78',
        ownerName: null,
        dueAt: '2026-03-03T00:00:00.000Z',
        priority: 'HIGH',
        url: 'https://app.hubspot.com/tasks/1001/view/all/task/9100',
        contactId: '2',
      },
    ],
    ...overrides,
  };
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export type FetchCall = {
  url: string;
  options: { method?: string; body?: Record<string, unknown>; timeout?: number } | undefined;
};

/** Installs `self.hsFetch`, the function `hubspot.fetch` delegates to; answers come from `respond`. */
export function stubHubSpotFetch(respond: (call: FetchCall) => Response | Promise<Response>) {
  const hsFetch = vi.fn(async (url: string, options?: FetchCall['options']) => respond({ url, options }));
  vi.stubGlobal('self', { hsFetch });
  return hsFetch;
}

interface TextNode {
  text?: string | null;
  childNodes?: TextNode[];
  nodeType: string;
}

/** All text under a rendered node (the renderer's `.text` holds direct text children only). */
export function textOf(node: TextNode): string {
  if (node.nodeType === 'text') return node.text ?? '';
  return (node.childNodes ?? []).map(textOf).join(' ').replace(/\s+/g, ' ').trim();
}

/** Triggers an event prop with a value (the renderer types `trigger`'s argument as the handler itself). */
export function fire(node: { trigger: (...args: never[]) => void }, event: string, value?: unknown): void {
  (node.trigger as unknown as (event: string, value?: unknown) => void)(event, value);
}
