import { LineChart, Text } from '@hubspot/ui-extensions';
import type { TrendPoint } from '../contract';

/** Every answer over time, oldest first. A single answer is no trend, so it is not charted. */
export function TrendChart({ trend }: { trend: TrendPoint[] }) {
  if (trend.length < 2) return <Text variant="microcopy">The trend appears after a second answer.</Text>;
  const data = trend.map((p) => ({ Date: p.date.slice(0, 10), Score: p.score }));
  return (
    <LineChart
      data={data}
      axes={{
        x: { field: 'Date', fieldType: 'datetime', label: 'Answered' },
        y: { field: 'Score', fieldType: 'linear', label: 'Score (0–10)' },
      }}
      options={{ title: 'Score over time', showTooltips: true, showDataLabels: false, showLegend: false }}
    />
  );
}
