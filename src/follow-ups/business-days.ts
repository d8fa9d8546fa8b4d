import { DAY_MS } from '../shared';

// Business-day arithmetic for task due dates: Monday to Friday count, Saturday and Sunday do not. Public
// holidays differ per country and are not known to us, so they count as business days. Days are UTC days:
// NPS Loop does not know the portal's time zone, and the due date keeps the answer's time of day.

export function isBusinessDay(date: Date): boolean {
  const weekday = date.getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The moment `days` business days after `from`, at the same time of day. Friday + 1 is Monday; Saturday + 1 is
 * Monday too. With 0 days the result is `from` itself, or the next Monday when `from` falls on a weekend.
 */
export function addBusinessDays(from: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0)
    throw new RangeError(`business days must be a whole number ≥ 0, got ${days}`);
  let current = new Date(from.getTime());
  let left = days;
  while (left > 0 || !isBusinessDay(current)) {
    current = new Date(current.getTime() + DAY_MS);
    if (isBusinessDay(current) && left > 0) left--;
  }
  return current;
}
