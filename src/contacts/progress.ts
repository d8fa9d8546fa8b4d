// Progress display for the contact sync CLI: pure formatting and throttling, the CLI does the writing.

export interface ProgressSnapshot {
  processed: number;
  total?: number;
  elapsedMs: number;
}

const BAR_WIDTH = 24;

/** "[##########..............] 420/1000  42%  350 contacts/s  eta 2s" — or without bar when the total is unknown. */
export function formatProgress(p: ProgressSnapshot): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.processed / seconds : 0;
  const rateText = `${rate >= 100 ? Math.round(rate) : rate.toFixed(1)} contacts/s`;
  if (p.total === undefined || p.total <= 0) return `${p.processed} contacts  ${rateText}`;
  const share = Math.min(1, p.processed / p.total);
  const filled = Math.round(share * BAR_WIDTH);
  const eta =
    rate > 0 && p.processed < p.total ? `  eta ${formatDuration(((p.total - p.processed) / rate) * 1000)}` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${p.processed}/${p.total} ${String(Math.round(share * 100)).padStart(3)}%  ${rateText}${eta}`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Decides when to draw: on a terminal, at most every `ttyIntervalMs` (redrawn in place); in a log or pipe,
 * one line every `pipeIntervalMs` so the output stays readable. The last update is always drawn.
 */
export function progressThrottle(isTty: boolean, opts: { ttyIntervalMs?: number; pipeIntervalMs?: number } = {}) {
  const interval = isTty ? (opts.ttyIntervalMs ?? 100) : (opts.pipeIntervalMs ?? 5000);
  let last = -Infinity;
  return (nowMs: number, final = false): boolean => {
    if (!final && nowMs - last < interval) return false;
    last = nowMs;
    return true;
  };
}
