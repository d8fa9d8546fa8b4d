// What `npm run doctor` prints: one line per check, ✓ / ⚠ / ✗, and for a ✗ what to fix.

type Verdict = 'ok' | 'warn' | 'fail';

export interface CheckLine {
  verdict: Verdict;
  /** What was checked, e.g. "scopes (portal 1001)". */
  title: string;
  /** What was found. */
  detail: string;
  /** For a ✗ or ⚠: what to do about it. */
  fix?: string;
}

const MARK: Record<Verdict, string> = { ok: '✓', warn: '⚠', fail: '✗' };

export function formatLine(line: CheckLine): string {
  const head = `${MARK[line.verdict]} ${line.title}: ${line.detail}`;
  return line.fix && line.verdict !== 'ok' ? `${head}\n    → ${line.fix}` : head;
}

export function summary(lines: CheckLine[]): string {
  const failed = lines.filter((l) => l.verdict === 'fail').length;
  const warned = lines.filter((l) => l.verdict === 'warn').length;
  if (failed > 0)
    return `${failed} check${failed > 1 ? 's' : ''} failed${warned ? `, ${warned} warning${warned > 1 ? 's' : ''}` : ''}: fix the lines marked ✗ and run npm run doctor again.`;
  return warned
    ? `All checks passed, with ${warned} warning${warned > 1 ? 's' : ''}.`
    : 'All checks passed: this account is ready for NPS Loop.';
}
