import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import {
  Alert,
  BarChart,
  Button,
  EmptyState,
  ErrorState,
  LoadingSpinner,
  StatisticsItem,
  Table,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { NpsCompanyCard } from '../../extensions/app/cards/NpsCompanyCard';
import { companyCard, json, stubHubSpotFetch, textOf } from './fixtures';

function renderCard() {
  const renderer = createRenderer('crm.record.tab');
  renderer.render(<NpsCompanyCard companyId="7" context={renderer.mocks.context} />);
  return renderer;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('company card', () => {
  it('shows a spinner until the company NPS arrives', async () => {
    const hsFetch = stubHubSpotFetch(() => new Promise<Response>(() => undefined));
    const r = renderCard();
    await vi.waitFor(() =>
      expect(hsFetch).toHaveBeenCalledWith(
        expect.stringMatching(/\/api\/card\/companies\/7\?portalId=\d+&userId=\d+&userEmail=/),
        expect.objectContaining({ method: 'GET' }),
      ),
    );
    expect(r.find(LoadingSpinner).props.label).toBe('Loading company NPS…');
  });

  it('shows NPS with its margin of error, the too-few flag and the category split', async () => {
    stubHubSpotFetch(() => json(200, companyCard()));
    const r = renderCard();
    await r.waitFor(() => expect(r.find(StatisticsItem, { label: 'Company NPS' }).props.number).toBe('+20'));
    expect(r.find(Text, { testId: 'margin' }).text).toBe('± 61.2 points (95%)');
    expect(textOf(r.find(Alert, { testId: 'too-few' }))).toContain('5 answers');
    const chart = r.find(BarChart);
    expect(chart.props.data).toEqual([
      { Category: 'Promoters', Contacts: 2 },
      { Category: 'Passives', Contacts: 2 },
      { Category: 'Detractors', Contacts: 1 },
    ]);
  });

  it('lists answering contacts with their latest score and the open follow-ups across the company', async () => {
    stubHubSpotFetch(() => json(200, companyCard()));
    const r = renderCard();
    await r.waitFor(() => expect(r.find(Table, { testId: 'company-contacts' })).toBeTruthy());
    const rows = r.find(Table, { testId: 'company-contacts' }).findAll(TableRow);
    expect(rows).toHaveLength(3);
    expect(textOf(rows[2]!)).toContain('Alan Turing');
    expect(rows[2]!.find(Tag).props.variant).toBe('error');
    const tasks = r.find(Table, { testId: 'follow-up-table' });
    expect(textOf(tasks)).toContain('Call back about the outage');
    expect(textOf(tasks)).toContain('Owner 78');
  });

  it('does not warn about too few answers once there are 30 or more', async () => {
    stubHubSpotFetch(() =>
      json(
        200,
        companyCard({
          n: 40,
          tooFew: false,
          nps: -12.5,
          marginOfError: 24.1,
          counts: { promoters: 10, passives: 13, detractors: 17 },
        }),
      ),
    );
    const r = renderCard();
    await r.waitFor(() => expect(r.find(StatisticsItem, { label: 'Company NPS' }).props.number).toBe('-12.5'));
    expect(r.maybeFind(Alert, { testId: 'too-few' })).toBeNull();
  });

  it('shows an empty state for a company without answers', async () => {
    stubHubSpotFetch(() =>
      json(
        200,
        companyCard({
          nps: null,
          marginOfError: null,
          n: 0,
          tooFew: true,
          counts: { promoters: 0, passives: 0, detractors: 0 },
          contacts: [],
          openFollowUps: [],
        }),
      ),
    );
    const r = renderCard();
    await r.waitFor(() => expect(r.find(EmptyState, { testId: 'no-answers' })).toBeTruthy());
    expect(r.maybeFind(BarChart)).toBeNull();
    expect(r.find(EmptyState, { title: 'No open follow-ups' })).toBeTruthy();
  });

  it('shows an error with a retry when the backend cannot be reached', async () => {
    let calls = 0;
    stubHubSpotFetch(() => {
      if (++calls === 1) throw new Error('timeout');
      return json(200, companyCard());
    });
    const r = renderCard();
    await r.waitFor(() => expect(textOf(r.find(ErrorState))).toContain('NPS Loop could not be reached'));
    r.find(Button, { testId: 'retry' }).trigger('onClick');
    await r.waitFor(() => expect(r.find(StatisticsItem, { label: 'Company NPS' })).toBeTruthy());
  });
});
