import { EmptyState, Flex, Heading, hubspot, Text } from '@hubspot/ui-extensions';
import { createCardApi, type CardApi, type CardUserContext } from './api';
import { useCardData } from './useCardData';
import { CardLoadError, CardLoading } from './components/CardStates';
import { CompanyContactsTable } from './components/CompanyContactsTable';
import { CompanyNpsSummary } from './components/CompanyNpsSummary';
import { FollowUpTable } from './components/FollowUpTable';
import { OpenDashboardButton } from './components/OpenDashboardButton';

export interface NpsCompanyCardProps {
  companyId: string;
  /** The card's context: its portal and user go along with every request. */
  context: CardUserContext;
  api?: CardApi;
}

hubspot.extend<'crm.record.tab'>(({ context }) => (
  <NpsCompanyCard companyId={String(context.crm.objectId)} context={context} />
));

/** NPS across the company's contacts: score and margin, category split, who answered what, open follow-ups. */
export function NpsCompanyCard({ companyId, context, api = createCardApi(context) }: NpsCompanyCardProps) {
  const { state, reload } = useCardData(() => api.companyCard(companyId), companyId);
  if (state.status === 'loading') return <CardLoading label="Loading company NPS…" />;
  if (state.status === 'error') return <CardLoadError error={state.error} onRetry={reload} what="company" />;
  const card = state.data;
  return (
    <Flex direction="column" gap="md">
      {card.n === 0 ? (
        <EmptyState title="No answers yet" layout="horizontal" imageName="emptyStateCharts" flush testId="no-answers">
          <Text>No contact at this company has a current NPS answer.</Text>
        </EmptyState>
      ) : (
        <>
          <CompanyNpsSummary card={card} />
          <Heading>Answering contacts</Heading>
          <CompanyContactsTable contacts={card.contacts} />
          {card.contactsTotal > card.contacts.length && (
            <Text variant="microcopy" testId="contacts-capped">
              Showing the {card.contacts.length} most recent of {card.contactsTotal} answering contacts.
            </Text>
          )}
        </>
      )}
      <Heading>Open follow-ups</Heading>
      <FollowUpTable followUps={card.openFollowUps} />
      <OpenDashboardButton requestLink={api.dashboardLink} />
    </Flex>
  );
}
