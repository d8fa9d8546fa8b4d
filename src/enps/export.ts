import type { NpsSummary } from '../core';
import type { WaveResult } from './results';

// The eNPS CSV export: aggregates only, exactly the groups the page shows (never a row per person, never a comment).

const HEADER = [
  'wave_opened',
  'wave_closed',
  'breakdown',
  'group',
  'answers',
  'promoters',
  'passives',
  'detractors',
  'enps',
  'margin',
];

function cell(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  // A leading =, +, - or @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof value === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function enpsCsv(closed: WaveResult[]): string {
  const lines = [HEADER.join(',')];
  const row = (r: WaveResult, group: string, s: NpsSummary) =>
    [
      r.wave.opensOn,
      r.wave.closesOn,
      r.wave.breakdown,
      group,
      s.n,
      s.promoters,
      s.passives,
      s.detractors,
      s.nps,
      s.marginOfError,
    ]
      .map(cell)
      .join(',');
  for (const r of closed) {
    if (!r.total) continue;
    lines.push(row(r, 'all', r.total));
    for (const g of r.groups) lines.push(row(r, g.key, g.summary));
    if (r.other) lines.push(row(r, 'other', r.other));
  }
  return `${lines.join('\r\n')}\r\n`;
}
