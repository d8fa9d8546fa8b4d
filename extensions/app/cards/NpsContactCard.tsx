import { useState } from 'react';
import { Divider, EmptyState, Flex, Heading, hubspot, Text } from '@hubspot/ui-extensions';
import { createCardApi, type CardApi, type CardUserContext } from './api';
import type { ContactCard, HistoryEntry } from './contract';
import { useCardData } from './useCardData';
import { CardLoadError, CardLoading } from './components/CardStates';
import { ExcludeAnswerForm } from './components/ExcludeAnswerForm';
import { FollowUpTable } from './components/FollowUpTable';
import { HistoryTable } from './components/HistoryTable';
import { LogResponseForm } from './components/LogResponseForm';
import { OpenDashboardButton } from './components/OpenDashboardButton';
import { ScoreSummary } from './components/ScoreSummary';
import { SendSurvey } from './components/SendSurvey';
import { TrendChart } from './components/TrendChart';

/** The parts of the extension actions this card uses (the testing renderer's spies satisfy it). */
export interface ContactCardActions {
  refreshObjectProperties: () => void;
  addAlert: (alert: {
    type?: 'info' | 'warning' | 'success' | 'danger' | 'tip';
    message: string;
    title?: string;
  }) => void;
}

export interface NpsContactCardProps {
  contactId: string;
  /** The card's context: its portal and user go along with every request. */
  context: CardUserContext;
  actions: ContactCardActions;
  api?: CardApi;
}

hubspot.extend<'crm.record.tab'>(({ context, actions }) => (
  <NpsContactCard contactId={String(context.crm.objectId)} context={context} actions={actions} />
));

/** The contact's NPS: current score, trend, every answer, open follow-ups, and the two actions. */
export function NpsContactCard({ contactId, context, actions, api = createCardApi(context) }: NpsContactCardProps) {
  const { state, reload } = useCardData(() => api.contactCard(contactId), contactId);

  if (state.status === 'loading') return <CardLoading label="Loading NPS…" />;
  if (state.status === 'error') return <CardLoadError error={state.error} onRetry={reload} what="contact" />;

  // The backend has written nps_* properties (or will shortly): refresh them in the record view too.
  const afterAction = (message: string) => {
    actions.addAlert({ type: 'success', message });
    actions.refreshObjectProperties();
    reload();
  };
  return <ContactCardView card={state.data} contactId={contactId} api={api} afterAction={afterAction} />;
}

function ContactCardView({
  card,
  contactId,
  api,
  afterAction,
}: {
  card: ContactCard;
  contactId: string;
  api: CardApi;
  afterAction: (message: string) => void;
}) {
  const [excluding, setExcluding] = useState<(HistoryEntry & { responseId: string }) | null>(null);
  return (
    <Flex direction="column" gap="md">
      <ScoreSummary card={card} />
      <Flex direction="row" gap="sm" wrap="wrap" align="start">
        <SendSurvey
          contactId={contactId}
          canSend={card.canSend}
          api={api}
          onSent={() => afterAction('Survey scheduled: it goes out within a few minutes.')}
        />
        <LogResponseForm contactId={contactId} api={api} onLogged={() => afterAction('Response saved.')} />
        <OpenDashboardButton requestLink={api.dashboardLink} />
      </Flex>
      <Divider />
      {card.history.length === 0 ? (
        <EmptyState title="No answers yet" layout="horizontal" imageName="emptyStateCharts" flush testId="no-answers">
          <Text>This contact has not answered an NPS survey. Send one, or log an answer given by phone.</Text>
        </EmptyState>
      ) : (
        <>
          <TrendChart trend={card.trend} />
          <Heading>Answers</Heading>
          <HistoryTable history={card.history} total={card.historyTotal} onExclude={setExcluding} />
          {excluding && (
            <ExcludeAnswerForm
              key={excluding.responseId}
              contactId={contactId}
              entry={excluding}
              api={api}
              onCancel={() => setExcluding(null)}
              onExcluded={() => {
                setExcluding(null);
                afterAction('Answer excluded: it no longer counts.');
              }}
            />
          )}
        </>
      )}
      <Heading>Open follow-ups</Heading>
      <FollowUpTable followUps={card.openFollowUps} />
    </Flex>
  );
}
