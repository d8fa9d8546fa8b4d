import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Button, LoadingButton, Text } from '@hubspot/ui-extensions';
import { NpsCompanyCard } from '../../extensions/app/cards/NpsCompanyCard';
import { NpsContactCard } from '../../extensions/app/cards/NpsContactCard';
import { BACKEND_URL, REQUEST_TIMEOUT_MS } from '../../extensions/app/cards/api';
import { companyCard, json, promoterCard, stubHubSpotFetch, type FetchCall } from './fixtures';

// "Open NPS dashboard" on both cards: one signed request for a one-time link (naming the portal and the user of
// the card's context), then a button that opens the link in a new tab.

const LINK_PATH = '/api/card/dashboard-link';
const LINK = 'https://nps.example.com/dashboard/sign-in/link/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';

function backend(linkAnswer: () => Response = () => json(200, { url: LINK, expiresAt: expiresIn(120_000) })) {
  return stubHubSpotFetch(({ url }: FetchCall) => {
    if (url.startsWith(`${BACKEND_URL}${LINK_PATH}`)) return linkAnswer();
    if (url.includes('/api/card/companies/')) return json(200, companyCard());
    return json(200, promoterCard());
  });
}

function expiresIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

function renderContactCard() {
  const renderer = createRenderer('crm.record.tab');
  renderer.render(<NpsContactCard contactId="42" context={renderer.mocks.context} actions={renderer.mocks.actions} />);
  return renderer;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Open NPS dashboard', () => {
  it('asks for a link only when clicked, naming the portal and user of the context, then offers it in a new tab', async () => {
    const hsFetch = backend();
    const r = renderContactCard();
    await r.waitFor(() => expect(r.find(LoadingButton, { testId: 'open-dashboard' })).toBeTruthy());
    expect(r.find(LoadingButton, { testId: 'open-dashboard' }).text).toBe('Open NPS dashboard');
    expect(hsFetch.mock.calls.filter(([url]) => url.includes(LINK_PATH))).toHaveLength(0);

    r.find(LoadingButton, { testId: 'open-dashboard' }).trigger('onClick');
    await r.waitFor(() => expect(r.find(Button, { testId: 'open-dashboard-link' })).toBeTruthy());

    const calls = hsFetch.mock.calls.filter(([url]) => url.includes(LINK_PATH));
    expect(calls).toHaveLength(1);
    const [url, options] = calls[0]!;
    const asked = new URL(url);
    expect(asked.origin + asked.pathname).toBe(`${BACKEND_URL}${LINK_PATH}`);
    const { user, portal } = r.mocks.context;
    expect(Object.fromEntries(asked.searchParams)).toEqual({
      portalId: String(portal.id),
      userId: String(user.id),
      userEmail: user.email,
    });
    expect(options?.method).toBe('POST');
    expect(options?.timeout).toBe(REQUEST_TIMEOUT_MS);

    const open = r.find(Button, { testId: 'open-dashboard-link' });
    expect(open.props.href).toEqual({ url: LINK, external: true });
    expect(r.find(Text, { testId: 'open-dashboard-hint' }).text).toContain('works once');

    // Used once: the card goes back to asking for a fresh link.
    open.trigger('onClick');
    await r.waitFor(() => expect(r.find(LoadingButton, { testId: 'open-dashboard' })).toBeTruthy());
    expect(r.maybeFind(Button, { testId: 'open-dashboard-link' })).toBeNull();
  });

  it('drops a link once it has expired', async () => {
    backend(() => json(200, { url: LINK, expiresAt: expiresIn(50) }));
    const r = renderContactCard();
    await r.waitFor(() => expect(r.find(LoadingButton, { testId: 'open-dashboard' })).toBeTruthy());
    r.find(LoadingButton, { testId: 'open-dashboard' }).trigger('onClick');
    await r.waitFor(() => expect(r.find(Button, { testId: 'open-dashboard-link' })).toBeTruthy());
    await r.waitFor(() => expect(r.maybeFind(Button, { testId: 'open-dashboard-link' })).toBeNull());
    expect(r.find(LoadingButton, { testId: 'open-dashboard' })).toBeTruthy();
  });

  it("shows the backend's reason when no link can be made", async () => {
    backend(() =>
      json(403, {
        error: { code: 'portal_not_installed', message: 'NPS Loop is not installed in HubSpot account 123' },
      }),
    );
    const r = renderContactCard();
    await r.waitFor(() => expect(r.find(LoadingButton, { testId: 'open-dashboard' })).toBeTruthy());
    r.find(LoadingButton, { testId: 'open-dashboard' }).trigger('onClick');
    await r.waitFor(() =>
      expect(r.find(Text, { testId: 'open-dashboard-error' }).text).toContain('not installed in HubSpot account 123'),
    );
    expect(r.maybeFind(Button, { testId: 'open-dashboard-link' })).toBeNull();
  });

  it('treats an answer without a usable link as a failure', async () => {
    backend(() => json(200, { url: 'not a url', expiresAt: 'soon' }));
    const r = renderContactCard();
    await r.waitFor(() => expect(r.find(LoadingButton, { testId: 'open-dashboard' })).toBeTruthy());
    r.find(LoadingButton, { testId: 'open-dashboard' }).trigger('onClick');
    await r.waitFor(() => expect(r.find(Text, { testId: 'open-dashboard-error' })).toBeTruthy());
    expect(r.maybeFind(Button, { testId: 'open-dashboard-link' })).toBeNull();
  });

  it('is on the company card too', async () => {
    const hsFetch = backend();
    const r = createRenderer('crm.record.tab');
    r.render(<NpsCompanyCard companyId="7" context={r.mocks.context} />);
    await r.waitFor(() => expect(r.find(LoadingButton, { testId: 'open-dashboard' })).toBeTruthy());
    r.find(LoadingButton, { testId: 'open-dashboard' }).trigger('onClick');
    await r.waitFor(() =>
      expect(r.find(Button, { testId: 'open-dashboard-link' }).props.href).toEqual({ url: LINK, external: true }),
    );
    expect(hsFetch.mock.calls.filter(([url]) => url.includes(LINK_PATH))).toHaveLength(1);
  });
});
