// Numbers and dates as the dashboard shows them. The API keeps one decimal; people read whole NPS points.

const MINUS = '\u2212';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function fmtNps(nps: number | null): string {
  if (nps === null) return '–';
  const v = Math.round(nps);
  return v < 0 ? `${MINUS}${Math.abs(v)}` : String(v);
}

/** A signed change such as "+5" or "−3". */
export function fmtChange(d: number | null): string {
  if (d === null) return '–';
  const v = Math.round(d);
  return v > 0 ? `+${v}` : v < 0 ? `${MINUS}${Math.abs(v)}` : '0';
}

export function fmtMargin(m: number | null): string {
  return m === null ? '' : `± ${Math.round(m)}`;
}

export function fmtPercent(p: number | null): string {
  return p === null ? '–' : `${Math.round(p)}%`;
}

export function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function fmtHours(h: number | null): string {
  if (h === null) return '–';
  if (h < 1) return `${Math.max(1, Math.round(h * 60))} min`;
  if (h < 48) return `${Math.round(h)} h`;
  return `${Math.round((h / 24) * 10) / 10} d`;
}

/** 2026-03-05 → "5 Mar 2026". */
export function fmtDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`;
}

export function fmtPeriod(p: { from: string; to: string }): string {
  return `${fmtDay(p.from)} – ${fmtDay(p.to)}`;
}

/** ISO timestamp → "5 Mar 2026, 14:05 UTC". */
export function fmtTime(iso: string): string {
  return `${fmtDay(iso.slice(0, 10))}, ${iso.slice(11, 16)} UTC`;
}
