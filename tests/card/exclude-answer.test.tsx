import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import {
  Alert,
  Button,
  LoadingButton,
  Table,
  TableCell,
  TableHeader,
  TableRow,
  TextArea,
} from '@hubspot/ui-extensions';
import { NpsContactCard } from '../../extensions/app/cards/NpsContactCard';
import { BACKEND_URL } from '../../extensions/app/cards/api';
import type { ContactCard } from '../../extensions/app/cards/contract';
import { fire, json, promoterCard, stubHubSpotFetch, textOf } from './fixtures';

// "Exclude" on a history row of the contact card, rendered with HubSpot's test renderer: the reason is asked for,
// one signed POST names the answer, and the card reloads without it.

const SPAM = '3f0c5a1e-8b2d-4c6e-9f10-2a3b4c5d6e7f';
const KEPT = '7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6';

function cardWithIds(): ContactCard {
  const card = promoterCard();
  card.history = card.history.slice(0, 2);
  card.history[0] = { ...card.history[0]!, responseId: SPAM, comment: 'asdf' };
  card.history[1] = { ...card.history[1]!, responseId: KEPT };
  card.historyTotal = 2;
  return card;
}

/** The rows' Exclude buttons (test ids "exclude-<answer id>"). */
const excludeButtons = (r: ReturnType<typeof renderCard>) =>
  r.findAll(Button).filter((b) => String(b.props.testId ?? '').startsWith('exclude-'));

function renderCard() {
  const renderer = createRenderer('crm.record.tab');
  renderer.render(<NpsContactCard contactId="42" context={renderer.mocks.context} actions={renderer.mocks.actions} />);
  return renderer;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('contact card: excluding an answer', () => {
  it('asks why, posts the reason for that answer, then reloads the card without it', async () => {
    let gets = 0;
    const hsFetch = stubHubSpotFetch(({ options }) => {
      if (options?.method === 'POST') return json(200, { responseId: SPAM, excluded: true });
      gets++;
      const card = cardWithIds();
      if (gets > 1) {
        card.history = card.history.slice(1);
        card.historyTotal = 1;
      }
      return json(200, card);
    });
    const r = renderCard();
    await r.waitFor(() => expect(r.find(Table, { testId: 'history-table' })).toBeTruthy());
    const headers = r
      .find(Table, { testId: 'history-table' })
      .findAll(TableHeader)
      .map((h) => textOf(h));
    expect(headers.at(-1)).toBe('Actions');
    expect(excludeButtons(r).map((b) => b.props.testId)).toEqual([`exclude-${SPAM}`, `exclude-${KEPT}`]);
    r.find(Button, { testId: `exclude-${SPAM}` }).trigger('onClick');
    await r.waitFor(() => expect(r.find(TextArea, { testId: 'exclude-reason' })).toBeTruthy());

    // No reason: nothing is sent.
    r.find(LoadingButton, { testId: 'confirm-exclude' }).trigger('onClick');
    await r.waitFor(() =>
      expect(r.find(TextArea, { testId: 'exclude-reason' }).props.validationMessage).toBe(
        'Say why the answer should not count',
      ),
    );
    expect(hsFetch.mock.calls.filter(([, o]) => o?.method === 'POST')).toHaveLength(0);

    fire(r.find(TextArea, { testId: 'exclude-reason' }), 'onChange', '  a colleague testing  ');
    await r.waitFor(() =>
      expect(r.find(TextArea, { testId: 'exclude-reason' }).props.value).toBe('  a colleague testing  '),
    );
    r.find(LoadingButton, { testId: 'confirm-exclude' }).trigger('onClick');
    await vi.waitFor(() => expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(1));
    const post = hsFetch.mock.calls.find(([, o]) => o?.method === 'POST')!;
    expect(String(post[0]).split('?')[0]).toBe(`${BACKEND_URL}/api/card/contacts/42/answers/${SPAM}/exclude`);
    expect(post[1]?.body).toEqual({ reason: 'a colleague testing' });
    expect(r.mocks.actions.addAlert.calls[0]?.[0]).toMatchObject({ type: 'success' });
    await r.waitFor(() => expect(excludeButtons(r)).toHaveLength(1));
    expect(r.maybeFind(TextArea, { testId: 'exclude-reason' })).toBeNull();
    expect(gets).toBe(2);
  });

  it('keeps the form open and says why when the backend refuses', async () => {
    stubHubSpotFetch(({ options }) =>
      options?.method === 'POST'
        ? json(404, { error: { code: 'answer_not_found', message: 'no such answer' } })
        : json(200, cardWithIds()),
    );
    const r = renderCard();
    await r.waitFor(() => expect(excludeButtons(r)).toHaveLength(2));
    r.find(Button, { testId: `exclude-${KEPT}` }).trigger('onClick');
    await r.waitFor(() => expect(r.find(TextArea, { testId: 'exclude-reason' })).toBeTruthy());
    fire(r.find(TextArea, { testId: 'exclude-reason' }), 'onChange', 'spam');
    await r.waitFor(() => expect(r.find(TextArea, { testId: 'exclude-reason' }).props.value).toBe('spam'));
    r.find(LoadingButton, { testId: 'confirm-exclude' }).trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert, { testId: 'exclude-error' }))).toContain('no such answer'));
    expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(0);
    r.find(Button, { testId: 'cancel-exclude' }).trigger('onClick');
    await r.waitFor(() => expect(r.maybeFind(TextArea, { testId: 'exclude-reason' })).toBeNull());
  });

  it('offers no Exclude button for answers a backend sent without an id', async () => {
    stubHubSpotFetch(() => json(200, promoterCard()));
    const r = renderCard();
    await r.waitFor(() => expect(r.find(Table, { testId: 'history-table' })).toBeTruthy());
    expect(excludeButtons(r)).toHaveLength(0);
    const first = r.find(Table, { testId: 'history-table' }).findAll(TableRow)[1]!;
    expect(textOf(first.findAll(TableCell).at(-1)!)).toBe('—');
  });
});
