import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, ErrorState, LoadingButton, Table, TableRow, Tag, Text } from '@hubspot/ui-extensions';
import { NpsContactCard } from '../../extensions/app/cards/NpsContactCard';
import { BACKEND_URL } from '../../extensions/app/cards/api';
import { createSandbox, type Sandbox } from '../../src/sandbox';
// Not a React hook (a vitest suite helper): imported under a name the hooks lint rule does not claim.
import { useNockedServer as nockedServer } from '../helpers/nocked-server';
import type { TestServer } from '../helpers/server';
import { TEST_CLIENT_SECRET, TEST_PORTAL_ID } from '../helpers/env';
import { stubHubSpotFetch, textOf } from './fixtures';
import { seedAnswer, seedContact, seedInvitation } from './seed';

// The contact card end to end: rendered with HubSpot's testing renderer, its hubspot.fetch calls go through the
// sandbox's proxy (HubSpot's part: appends appId, signs v3, wraps a non-2xx as BAD_GATEWAY) into the real app.

const APP_ID = 4242;
const USER = { id: 11, email: 'ada@example.com' };
const ago = (days: number) => new Date(Date.now() - days * 86_400_000);

async function seed({ deps: { db } }: TestServer): Promise<void> {
  // 701: a contact with answers. 702–704: contacts a survey can go to when the card loads.
  await seedContact(db, TEST_PORTAL_ID, { contactId: '701', firstname: 'Grace', lastname: 'Hopper' });
  await seedAnswer(db, TEST_PORTAL_ID, '701', { score: 6, answeredAt: ago(200) });
  await seedAnswer(db, TEST_PORTAL_ID, '701', { score: 9, comment: 'Great onboarding', answeredAt: ago(120) });
  for (const contactId of ['702', '703', '704']) await seedContact(db, TEST_PORTAL_ID, { contactId });
}

// The card calls BACKEND_URL and HubSpot signs that URL: the app's public base URL is the card's backend.
const s = nockedServer({
  env: { RUN_WORKERS: 'false', PUBLIC_BASE_URL: BACKEND_URL, HUBSPOT_APP_ID: String(APP_ID) },
  seed,
});
let sandbox: Sandbox;

beforeAll(() => {
  sandbox = createSandbox({ seed: false, app: { appId: APP_ID, clientSecret: TEST_CLIENT_SECRET } });
});
beforeEach(() => {
  sandbox.cardProxy.configure({ forward: { [BACKEND_URL]: s().url }, signs: 'requested', append: [] });
});
afterEach(() => {
  vi.unstubAllGlobals();
});
afterAll(() => sandbox.close());

/** The contact card in the portal under test, its hubspot.fetch answered by the sandbox proxy and the app. */
function renderCard(contactId: string) {
  /** What each hubspot.fetch call handed the card: HTTP status and JSON body. */
  const answers: Array<{ status: number; body: unknown }> = [];
  const hsFetch = stubHubSpotFetch(async ({ url, options }) => {
    const res = await sandbox.cardProxy.fetch(url, {
      ...options,
      context: { portalId: TEST_PORTAL_ID, userId: USER.id, userEmail: USER.email },
    });
    answers.push({ status: res.status, body: await res.clone().json() });
    return res;
  });
  const renderer = createRenderer('crm.record.tab');
  const context = { ...renderer.mocks.context, portal: { ...renderer.mocks.context.portal, id: TEST_PORTAL_ID } };
  renderer.render(
    <NpsContactCard
      contactId={contactId}
      context={{ ...context, user: { ...context.user, ...USER } }}
      actions={renderer.mocks.actions}
    />,
  );
  return { r: renderer, hsFetch, answers };
}

const posts = (hsFetch: ReturnType<typeof stubHubSpotFetch>) =>
  hsFetch.mock.calls.filter(([, options]) => options?.method === 'POST');
const invitations = async (contactId: number) =>
  (
    await s().deps.db.query<{ status: string; trigger: string }>(
      'SELECT status, trigger FROM invitations WHERE portal_id = $1 AND contact_id = $2 ORDER BY created_at',
      [TEST_PORTAL_ID, contactId],
    )
  ).rows;

describe('contact card through the hubspot.fetch proxy', () => {
  it("shows a contact's score and history from the app", async () => {
    const { r } = renderCard('701');
    await r.waitFor(() => expect(r.find(Tag, { testId: 'category-tag' }).text).toBe('Promoter'));
    const rows = r.find(Table, { testId: 'history-table' }).findAll(TableRow);
    expect(rows).toHaveLength(3); // the header and two answers
    expect(textOf(rows[1]!)).toContain('Great onboarding');
    expect(textOf(rows[1]!)).toContain('9');
    expect(textOf(rows[2]!)).toContain('6');
    expect(r.maybeFind(ErrorState)).toBeNull();
  });

  it('asks to confirm when the app answers needs_confirmation, and schedules the survey once confirmed', async () => {
    const { r, hsFetch } = renderCard('702');
    await r.waitFor(() => expect(r.find(LoadingButton, { testId: 'send-survey' }).props.disabled).toBeFalsy());
    // Surveyed by another path after the card loaded: the app, not the card, knows the quiet period began.
    await seedInvitation(s().deps.db, TEST_PORTAL_ID, '702', {
      key: 'deal:7:won:contact:702',
      status: 'answered',
      scheduledFor: ago(2),
      sentAt: ago(2),
    });

    r.find(LoadingButton, { testId: 'send-survey' }).trigger('onClick');
    await r.waitFor(() =>
      expect(textOf(r.find(Alert, { testId: 'confirm-send' }))).toContain('This contact was surveyed recently'),
    );
    expect(textOf(r.find(Alert, { testId: 'confirm-send' }))).toContain('the quiet period ends on');
    expect(posts(hsFetch)).toHaveLength(1);
    expect(posts(hsFetch)[0]![1]?.body).toMatchObject({ confirm: false });
    expect(await invitations(702)).toEqual([{ status: 'answered', trigger: 'deal' }]);

    r.find(Button, { testId: 'confirm-send-yes' }).trigger('onClick');
    await r.waitFor(() => expect(r.find(Text, { testId: 'send-disabled-reason' })).toBeTruthy());
    expect(posts(hsFetch)[1]![1]?.body).toMatchObject({ confirm: true });
    expect(await invitations(702)).toEqual([
      { status: 'answered', trigger: 'deal' },
      { status: 'scheduled', trigger: 'manual' },
    ]);
    expect(r.mocks.actions.addAlert.calls[0]![0]).toMatchObject({ type: 'success' });
  });

  it('shows the refusal, not an error, when the contact opted out after the card loaded', async () => {
    const { r, hsFetch } = renderCard('703');
    await r.waitFor(() => expect(r.find(LoadingButton, { testId: 'send-survey' }).props.disabled).toBeFalsy());
    await s().deps.db.query('UPDATE contacts SET opted_out = true WHERE portal_id = $1 AND contact_id = $2', [
      TEST_PORTAL_ID,
      703,
    ]);

    r.find(LoadingButton, { testId: 'send-survey' }).trigger('onClick');
    await r.waitFor(() => expect(r.find(Alert, { testId: 'send-refused' })).toBeTruthy());
    const refusal = r.find(Alert, { testId: 'send-refused' });
    expect(refusal.props.title).toBe('The contact opted out of email');
    expect(refusal.props.variant).toBe('warning');
    expect(textOf(refusal)).toContain('No survey can be sent');
    expect(r.maybeFind(Alert, { testId: 'send-error' })).toBeNull();
    expect(r.maybeFind(ErrorState)).toBeNull();
    expect(posts(hsFetch)).toHaveLength(1);
    expect(await invitations(703)).toEqual([]);
  });

  it("shows its error state when the app fails and HubSpot's proxy answers BAD_GATEWAY, and recovers on retry", async () => {
    const db = s().deps.db;
    // A real failure inside the app: the query behind the contact card is gone.
    await db.exec('ALTER FUNCTION card_contact_data(bigint, bigint, integer) RENAME TO card_contact_data_off');
    let failed: { status: number; body: unknown } | undefined;
    try {
      const { r, answers } = renderCard('704');
      await r.waitFor(() => expect(r.find(ErrorState)).toBeTruthy());
      failed = answers[0];
      expect(r.find(ErrorState).props.title).toBe("The contact's NPS could not be loaded");
      expect(textOf(r.find(ErrorState))).toContain('NPS Loop could not answer (HTTP 500)');

      await db.exec('ALTER FUNCTION card_contact_data_off(bigint, bigint, integer) RENAME TO card_contact_data');
      r.find(Button, { testId: 'retry' }).trigger('onClick');
      await r.waitFor(() => expect(r.find(Text, { testId: 'survey-status' }).text).toBe('No survey sent yet'));
      expect(r.maybeFind(ErrorState)).toBeNull();
    } finally {
      await db.exec(
        `DO $$ BEGIN
           IF to_regproc('card_contact_data_off') IS NOT NULL THEN
             ALTER FUNCTION card_contact_data_off(bigint, bigint, integer) RENAME TO card_contact_data;
           END IF;
         END $$`,
      );
    }
    // What reached the card was the proxy's envelope (HTTP 200), not the app's 500.
    expect(failed?.status).toBe(200);
    expect(failed?.body).toMatchObject({
      status: 'error',
      category: 'BAD_GATEWAY',
      context: { appServerStatusCode: ['500'] },
    });
  });
});
