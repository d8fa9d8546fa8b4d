import { DescriptionList, DescriptionListItem, Flex, Tag, Text } from '@hubspot/ui-extensions';
import type { ContactCard, SurveyStatus } from '../contract';
import { CATEGORY_LABEL, CATEGORY_TAG, describeScoreChange, describeSkipReason, formatDate } from '../format';

/** The headline: current score as a coloured category tag, when it was given, and where the next survey stands. */
export function ScoreSummary({ card }: { card: ContactCard }) {
  return (
    <DescriptionList direction="row">
      <DescriptionListItem label="Current score">
        {card.score !== null && card.category !== null ? (
          <Flex direction="row" gap="xs" align="center">
            <Text format={{ fontWeight: 'bold' }}>{card.score}</Text>
            <Tag variant={CATEGORY_TAG[card.category]} testId="category-tag">
              {CATEGORY_LABEL[card.category]}
            </Tag>
            {card.change?.atRisk && (
              <Tag variant="error" testId="at-risk-tag">
                At risk
              </Tag>
            )}
          </Flex>
        ) : (
          <Text>No current score</Text>
        )}
      </DescriptionListItem>
      {card.change && (
        <DescriptionListItem label="Change">
          <Text testId="score-change">{describeScoreChange(card.change)}</Text>
        </DescriptionListItem>
      )}
      <DescriptionListItem label="Answered">
        <Text>{formatDate(card.currentAnsweredAt)}</Text>
      </DescriptionListItem>
      <DescriptionListItem label="Survey">
        <Text testId="survey-status">{describeSurveyStatus(card.surveyStatus)}</Text>
      </DescriptionListItem>
    </DescriptionList>
  );
}

function describeSurveyStatus(status: SurveyStatus): string {
  switch (status.state) {
    case 'pending':
      return status.sentAt
        ? `Pending: sent on ${formatDate(status.sentAt)}, waiting for an answer`
        : 'Pending: scheduled to be sent';
    case 'skipped':
      return `Skipped: ${describeSkipReason(status.reason)}`;
    case 'quiet_period':
      return `Quiet period ends on ${formatDate(status.quietUntil)}`;
    case 'answered':
      return status.sentAt ? `Answered (survey sent on ${formatDate(status.sentAt)})` : 'Answered';
    case 'expired':
      return 'The last survey expired without an answer';
    case 'none':
      return 'No survey sent yet';
  }
}
