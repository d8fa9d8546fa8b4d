import type { SettingsSection } from '../core';
import { NPS_BENCHMARKS, type NpsBenchmark } from '../benchmarks';

// The settings workspace section where an admin picks the portal's industry; the dashboard then sets the portal's
// NPS beside that industry's published benchmark. Leaving it empty removes the comparison.

function benchmarkOptionLabel(b: NpsBenchmark): string {
  const nps = b.nps < 0 ? `\u2212${Math.abs(b.nps)}` : String(b.nps);
  return `${b.label}: NPS ${nps} (${b.source.publisher}, ${b.year})`;
}

export const benchmarkSettingsSection: SettingsSection = {
  id: 'benchmark',
  title: 'Industry benchmark',
  description:
    'Compare your NPS on the dashboard with a published benchmark for your industry. Benchmarks are outside figures from other surveys (their sample and year are shown with them); only industries with a published, cited figure are listed.',
  order: 60,
  fields: [
    {
      path: ['insights', 'benchmarkIndustry'],
      label: 'Industry',
      kind: 'select',
      optional: true,
      help: 'Leave empty to show no benchmark.',
      options: NPS_BENCHMARKS.map((b) => ({ value: b.key, label: benchmarkOptionLabel(b) })),
    },
  ],
};
