import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  LineChart,
  Link,
  LoadingButton,
  LoadingSpinner,
  Select,
  Table,
  TableCell,
  TableHeader,
  TableRow,
  Tag,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { NpsContactCard } from '../../extensions/app/cards/NpsContactCard';
import { BACKEND_URL, REQUEST_TIMEOUT_MS } from '../../extensions/app/cards/api';
import { emptyCard, json, promoterCard, fire, stubHubSpotFetch, textOf } from './fixtures';

const CARD_URL = `${BACKEND_URL}/api/card/contacts/42`;

function renderCard() {
  const renderer = createRenderer('crm.record.tab');
  renderer.render(<NpsContactCard contactId="42" context={renderer.mocks.context} actions={renderer.mocks.actions} />);
  return renderer;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('contact card', () => {
  it('shows a spinner while the card API has not answered', async () => {
    const hsFetch = stubHubSpotFetch(() => new Promise<Response>(() => undefined));
    const r = renderCard();
    await vi.waitFor(() => expect(hsFetch).toHaveBeenCalledTimes(1));
    expect(r.find(LoadingSpinner).props.label).toBe('Loading NPS…');
  });

  it('asks the backend through one hubspot.fetch call with a timeout of at most 15 s', async () => {
    const hsFetch = stubHubSpotFetch(() => json(200, promoterCard()));
    const r = renderCard();
    await r.waitFor(() => expect(r.find(Tag, { testId: 'category-tag' })).toBeTruthy());
    expect(hsFetch).toHaveBeenCalledTimes(1);
    const [url, options] = hsFetch.mock.calls[0]!;
    const [path, query] = String(url).split('?');
    expect(path).toBe(CARD_URL);
    // The card names portal and user itself (HubSpot documents only appId as appended).
    const { portal, user } = r.mocks.context;
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({
      portalId: String(portal.id),
      userId: String(user.id),
      userEmail: user.email,
    });
    expect(options?.method).toBe('GET');
    expect(options?.timeout).toBe(REQUEST_TIMEOUT_MS);
    expect(REQUEST_TIMEOUT_MS).toBeLessThanOrEqual(15_000);
  });

  it('shows an error with a retry that loads the card again', async () => {
    let calls = 0;
    stubHubSpotFetch(() =>
      ++calls === 1
        ? json(500, { error: { code: 'internal_error', message: 'internal error' } })
        : json(200, promoterCard()),
    );
    const r = renderCard();
    await r.waitFor(() => expect(r.find(ErrorState)).toBeTruthy());
    expect(textOf(r.find(ErrorState))).toContain('internal error');
    r.find(Button, { testId: 'retry' }).trigger('onClick');
    await r.waitFor(() => expect(r.find(Tag, { testId: 'category-tag' }).text).toBe('Promoter'));
    expect(calls).toBe(2);
  });

  it('treats an answer that breaks the contract as an error, not as data', async () => {
    stubHubSpotFetch(() => json(200, { ...promoterCard(), score: 11 }));
    const r = renderCard();
    await r.waitFor(() => expect(textOf(r.find(ErrorState))).toContain('does not understand'));
  });

  it('shows a not-synced-yet state for a contact the backend does not know', async () => {
    stubHubSpotFetch(() => json(200, { outcome: 'not_found', message: 'contact 42 not found' }));
    const r = renderCard();
    await r.waitFor(() => expect(r.find(EmptyState).props.title).toContain('does not know this contact yet'));
    expect(r.maybeFind(ErrorState)).toBeNull();
  });

  it('shows an empty state and both actions for a contact with no answers', async () => {
    stubHubSpotFetch(() => json(200, emptyCard()));
    const r = renderCard();
    await r.waitFor(() => expect(r.find(EmptyState, { testId: 'no-answers' }).props.title).toBe('No answers yet'));
    expect(r.find(Text, { testId: 'survey-status' }).text).toBe('No survey sent yet');
    expect(r.maybeFind(LineChart)).toBeNull();
    expect(r.find(LoadingButton, { testId: 'send-survey' }).props.disabled).toBeFalsy();
    expect(r.find(Button, { testId: 'open-log-response' })).toBeTruthy();
  });

  it('shows a promoter with a green tag, the trend, ten answers per page and the open tasks', async () => {
    stubHubSpotFetch(() => json(200, promoterCard()));
    const r = renderCard();
    await r.waitFor(() => expect(r.find(Tag, { testId: 'category-tag' })).toBeTruthy());
    const tag = r.find(Tag, { testId: 'category-tag' });
    expect(tag.props.variant).toBe('success');
    expect(tag.text).toBe('Promoter');

    const chart = r.find(LineChart);
    expect(Array.isArray(chart.props.data) && chart.props.data.length).toBe(12);
    expect(chart.props.axes.x.fieldType).toBe('datetime');

    const history = r.find(Table, { testId: 'history-table' });
    expect(history.props.paginated).toBe(true);
    expect((history.props as { pageCount?: number }).pageCount).toBe(2);
    const firstRow = history.findAll(TableRow)[1]!;
    expect(textOf(firstRow)).toContain('Great onboarding');
    expect(textOf(firstRow)).toContain('Email');
    expect(firstRow.find(Link).props.href).toEqual({
      url: 'https://app.hubspot.com/contacts/1001/record/0-3/555',
      external: true,
    });
    expect(history.findAll(TableRow)).toHaveLength(11);

    fire(history, 'onPageChange', 2);
    await r.waitFor(() => expect(r.find(Table, { testId: 'history-table' }).findAll(TableRow)).toHaveLength(3));

    const tasks = r.find(Table, { testId: 'follow-up-table' });
    expect(textOf(tasks)).toContain('Ask for a review');
    expect(textOf(tasks)).toContain('Ada Lovelace');
    expect(textOf(tasks)).toContain('Apr 2, 2026');
    expect(tasks.find(Link).props.href).toEqual({
      url: 'https://app.hubspot.com/tasks/1001/view/all/task/9001',
      external: true,
    });
  });

  it('colours a detractor red and a passive amber', async () => {
    stubHubSpotFetch(() => json(200, promoterCard({ score: 3, category: 'detractor' })));
    const r = renderCard();
    await r.waitFor(() => expect(r.find(Tag, { testId: 'category-tag' }).props.variant).toBe('error'));
    stubHubSpotFetch(() => json(200, promoterCard({ score: 7, category: 'passive' })));
    const r2 = renderCard();
    await r2.waitFor(() => expect(r2.find(Tag, { testId: 'category-tag' }).props.variant).toBe('warning'));
  });

  it('says why the last survey was skipped', async () => {
    stubHubSpotFetch(() => json(200, promoterCard({ surveyStatus: { state: 'skipped', reason: 'no_email' } })));
    const r = renderCard();
    await r.waitFor(() =>
      expect(r.find(Text, { testId: 'survey-status' }).text).toBe('Skipped: the contact has no email address'),
    );
  });

  it('disables "Send survey now" with the reason for an opted-out contact', async () => {
    const hsFetch = stubHubSpotFetch(() =>
      json(
        200,
        promoterCard({
          canSend: {
            allowed: false,
            needsConfirmation: false,
            code: 'opted_out',
            reason: 'The contact opted out of email.',
          },
        }),
      ),
    );
    const r = renderCard();
    await r.waitFor(() => expect(r.find(Button, { testId: 'send-survey' }).props.disabled).toBe(true));
    expect(r.find(Text, { testId: 'send-disabled-reason' }).text).toBe('The contact opted out of email.');
    expect(hsFetch).toHaveBeenCalledTimes(1);
  });

  it('asks for confirmation inside the quiet period and sends only once confirmed', async () => {
    const quietUntil = '2026-06-01T00:00:00.000Z';
    const hsFetch = stubHubSpotFetch(({ options }) => {
      if (options?.method === 'POST')
        return json(202, { status: 'scheduled', invitationId: 'inv-1', scheduledFor: '2026-03-01T00:00:00.000Z' });
      return json(
        200,
        promoterCard({
          surveyStatus: { state: 'quiet_period', quietUntil },
          canSend: { allowed: true, needsConfirmation: true, code: 'quiet_period', quietUntil },
        }),
      );
    });
    const r = renderCard();
    await r.waitFor(() =>
      expect(r.find(Text, { testId: 'survey-status' }).text).toBe('Quiet period ends on Jun 1, 2026'),
    );

    r.find(LoadingButton, { testId: 'send-survey' }).trigger('onClick');
    await r.waitFor(() =>
      expect(textOf(r.find(Alert, { testId: 'confirm-send' }))).toContain('the quiet period ends on Jun 1, 2026'),
    );
    expect(hsFetch.mock.calls.filter(([, o]) => o?.method === 'POST')).toHaveLength(0);

    r.find(Button, { testId: 'confirm-send-no' }).trigger('onClick');
    await r.waitFor(() => expect(r.maybeFind(Alert, { testId: 'confirm-send' })).toBeNull());

    r.find(LoadingButton, { testId: 'send-survey' }).trigger('onClick');
    await r.waitFor(() => expect(r.find(Alert, { testId: 'confirm-send' })).toBeTruthy());
    r.find(Button, { testId: 'confirm-send-yes' }).trigger('onClick');
    await vi.waitFor(() => expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(1));
    const posts = hsFetch.mock.calls.filter(([, o]) => o?.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(String(posts[0]![0]).split('?')[0]).toBe(`${CARD_URL}/surveys`);
    expect(posts[0]![1]?.body).toMatchObject({
      confirm: true,
      requestKey: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
    });
    expect(r.mocks.actions.addAlert.calls[0]![0]).toMatchObject({ type: 'success' });
  });

  it('asks for confirmation when the server says the quiet period began after the card loaded', async () => {
    stubHubSpotFetch(({ options }) =>
      options?.method === 'POST'
        ? json(200, {
            outcome: 'needs_confirmation',
            message: 'inside the quiet period',
            quietUntil: '2026-07-01T00:00:00.000Z',
          })
        : json(200, promoterCard()),
    );
    const r = renderCard();
    await r.waitFor(() => expect(r.find(LoadingButton, { testId: 'send-survey' })).toBeTruthy());
    r.find(LoadingButton, { testId: 'send-survey' }).trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert, { testId: 'confirm-send' }))).toContain('Jul 1, 2026'));
  });

  it('logs a phone answer: posts score and comment, refreshes the record and reloads the card', async () => {
    let gets = 0;
    const hsFetch = stubHubSpotFetch(({ options }) => {
      if (options?.method === 'POST') return json(201, { responseId: 'r-1', category: 'detractor', created: true });
      gets++;
      return json(200, gets === 1 ? emptyCard() : promoterCard({ score: 4, category: 'detractor' }));
    });
    const r = renderCard();
    await r.waitFor(() => expect(r.find(Button, { testId: 'open-log-response' })).toBeTruthy());
    r.find(Button, { testId: 'open-log-response' }).trigger('onClick');
    await r.waitFor(() => expect(r.find(Select, { testId: 'log-score' })).toBeTruthy());

    r.find(LoadingButton, { testId: 'save-response' }).trigger('onClick');
    await r.waitFor(() =>
      expect(r.find(Select, { testId: 'log-score' }).props.validationMessage).toBe('Choose a score from 0 to 10'),
    );
    expect(hsFetch.mock.calls.filter(([, o]) => o?.method === 'POST')).toHaveLength(0);

    fire(r.find(Select, { testId: 'log-score' }), 'onChange', 4);
    fire(r.find(TextArea, { testId: 'log-comment' }), 'onChange', '  Support was slow  ');
    await r.waitFor(() => expect(r.find(TextArea, { testId: 'log-comment' }).props.value).toBe('  Support was slow  '));
    r.find(LoadingButton, { testId: 'save-response' }).trigger('onClick');

    await vi.waitFor(() => expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(1));
    const post = hsFetch.mock.calls.find(([, o]) => o?.method === 'POST')!;
    expect(String(post[0]).split('?')[0]).toBe(`${CARD_URL}/responses`);
    expect(post[1]?.body).toMatchObject({ score: 4, comment: 'Support was slow' });
    await r.waitFor(() => expect(r.find(Tag, { testId: 'category-tag' }).props.variant).toBe('error'));
    expect(gets).toBe(2);
  });

  it('keeps the form open and shows the reason when logging fails', async () => {
    stubHubSpotFetch(({ options }) =>
      options?.method === 'POST'
        ? json(200, { outcome: 'invalid_input', message: 'invalid response: comment: at most 5000 characters' })
        : json(200, emptyCard()),
    );
    const r = renderCard();
    await r.waitFor(() => expect(r.find(Button, { testId: 'open-log-response' })).toBeTruthy());
    r.find(Button, { testId: 'open-log-response' }).trigger('onClick');
    await r.waitFor(() => expect(r.find(Select, { testId: 'log-score' })).toBeTruthy());
    fire(r.find(Select, { testId: 'log-score' }), 'onChange', 8);
    await r.waitFor(() => expect(r.find(Select, { testId: 'log-score' }).props.value).toBe(8));
    r.find(LoadingButton, { testId: 'save-response' }).trigger('onClick');
    await r.waitFor(() =>
      expect(textOf(r.find(Alert, { testId: 'log-error' }))).toContain('comment: at most 5000 characters'),
    );
    expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(0);
  });

  it('shows each answer’s follow-up answer in the history, and a dash when there is none', async () => {
    const card = promoterCard();
    card.history[0] = { ...card.history[0]!, followUpAnswer: 'The kickoff call' };
    stubHubSpotFetch(() => json(200, card));
    const r = renderCard();
    await r.waitFor(() => expect(r.find(Table, { testId: 'history-table' })).toBeTruthy());
    const [head, first, second] = r.find(Table, { testId: 'history-table' }).findAll(TableRow);
    const headers = head!.findAll(TableHeader).map((h) => textOf(h));
    const column = headers.indexOf('Follow-up answer');
    expect(column).toBe(headers.indexOf('Comment') + 1);
    expect(textOf(first!.findAll(TableCell)[column]!)).toBe('The kickoff call');
    expect(textOf(second!.findAll(TableCell)[column]!)).toBe('—');
  });

  it('shows the change since the previous answer, and flags a contact at risk', async () => {
    stubHubSpotFetch(() =>
      json(200, promoterCard({ change: { trend: 'improved', previousScore: 6, points: 3, atRisk: false } })),
    );
    const r = renderCard();
    await r.waitFor(() => expect(r.find(Text, { testId: 'score-change' }).text).toBe('▲ 3 points (from 6)'));
    expect(r.maybeFind(Tag, { testId: 'at-risk-tag' })).toBeNull();

    stubHubSpotFetch(() =>
      json(
        200,
        promoterCard({
          score: 6,
          category: 'detractor',
          change: { trend: 'declined', previousScore: 7, points: -1, atRisk: true },
        }),
      ),
    );
    const r2 = renderCard();
    await r2.waitFor(() => expect(r2.find(Text, { testId: 'score-change' }).text).toBe('▼ 1 point (from 7)'));
    expect(r2.find(Tag, { testId: 'at-risk-tag' }).props.variant).toBe('error');

    stubHubSpotFetch(() =>
      json(200, promoterCard({ change: { trend: 'first', previousScore: null, points: null, atRisk: false } })),
    );
    const r3 = renderCard();
    await r3.waitFor(() => expect(r3.find(Text, { testId: 'score-change' }).text).toBe('First answer'));
  });
});
