import { Alert, BarChart, Statistics, StatisticsItem, Text } from '@hubspot/ui-extensions';
import type { CompanyCard } from '../contract';
import { formatNps } from '../format';

/** Company NPS with its 95% margin of error, the "too few answers" warning and the category split. */
export function CompanyNpsSummary({ card }: { card: CompanyCard }) {
  const margin =
    card.marginOfError === null ? 'not enough answers for a margin' : `± ${card.marginOfError} points (95%)`;
  return (
    <>
      <Statistics>
        <StatisticsItem label="Company NPS" number={formatNps(card.nps)}>
          <Text variant="microcopy" testId="margin">
            {margin}
          </Text>
        </StatisticsItem>
        <StatisticsItem label="Answering contacts" number={card.n} />
        <StatisticsItem label="Promoters" number={card.counts.promoters} />
        <StatisticsItem label="Passives" number={card.counts.passives} />
        <StatisticsItem label="Detractors" number={card.counts.detractors} />
      </Statistics>
      {card.tooFew && card.n > 0 && (
        <Alert title="Too few answers to trust" variant="warning" testId="too-few">
          NPS from {card.n} {card.n === 1 ? 'answer' : 'answers'} moves a lot with each new one; 30 or more give a
          steady figure.
        </Alert>
      )}
      {card.n > 0 && (
        <BarChart
          data={[
            { Category: 'Promoters', Contacts: card.counts.promoters },
            { Category: 'Passives', Contacts: card.counts.passives },
            { Category: 'Detractors', Contacts: card.counts.detractors },
          ]}
          axes={{
            x: { field: 'Category', fieldType: 'category', label: 'Category' },
            y: { field: 'Contacts', fieldType: 'linear', label: 'Contacts' },
            options: {
              groupFieldByColor: 'Category',
              colors: { Promoters: 'green', Passives: 'yellow', Detractors: 'orange' },
            },
          }}
          options={{ title: 'Category distribution', showDataLabels: true, showLegend: false }}
        />
      )}
    </>
  );
}
