import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AppDeps } from '../core';
import { getPortal } from '../core';
import { BadRequestError, DAY_MS, isStorableText } from '../shared';
import type { Queryable } from '../storage';
import { CsvSyntaxError, parseCsv } from './csv';
import { findImportContact, liveContactIdByEmail } from './import.repo';
import { recordResponse } from './record';

// CSV import of answers collected elsewhere (a phone campaign, an old survey tool). Columns, in any order and
// case: email or hubspot_id (or contact_id), score, comment (optional), date (ISO 8601, optional). Good rows are
// recorded like any answer (channel 'import'); bad rows are reported with their line and reason. Each row's
// content is hashed into its import key, so importing the same file twice records nothing new.

export interface ImportReport {
  /** Data rows read (the header excluded). */
  rows: number;
  imported: number;
  /** Rows recorded by an earlier import of the same content. */
  alreadyImported: number;
  bad: Array<{ line: number; reason: string }>;
}

const HEADERS: Record<string, 'email' | 'contactId' | 'score' | 'comment' | 'date'> = {
  email: 'email',
  'e-mail': 'email',
  email_address: 'email',
  hubspot_id: 'contactId',
  contact_id: 'contactId',
  hs_object_id: 'contactId',
  record_id: 'contactId',
  score: 'score',
  nps_score: 'score',
  comment: 'comment',
  date: 'date',
  answered_at: 'date',
};

const scoreSchema = z
  .string()
  .trim()
  .min(1, 'missing score')
  .regex(/^(10|[0-9])$/, 'must be a whole number from 0 to 10')
  .transform(Number);
const contactIdSchema = z
  .string()
  .trim()
  .regex(/^[1-9]\d{0,17}$/, 'must be a HubSpot record id (digits)');
const emailSchema = z.string().trim().toLowerCase().pipe(z.email('is not an email address'));
const dateSchema = z
  .string()
  .trim()
  .refine(
    (s) => z.iso.date().safeParse(s).success || z.iso.datetime({ offset: true }).safeParse(s).success,
    'not a valid ISO 8601 date; use e.g. 2024-03-31 or 2024-03-31T14:05:00Z',
  )
  .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s));

export async function importResponsesCsv(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  portalId: number,
  csv: string,
): Promise<ImportReport> {
  const portal = await getPortal(deps.db, portalId);
  if (!portal || portal.status !== 'active')
    throw new BadRequestError(`portal ${portalId} is not installed`, undefined, 'unknown_portal');
  const report: ImportReport = { rows: 0, imported: 0, alreadyImported: 0, bad: [] };
  let records;
  try {
    records = parseCsv(csv);
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    report.bad.push({ line: err.line, reason: `${err.message}; nothing was imported` });
    return report;
  }
  const [header, ...rows] = records;
  if (!header) {
    report.bad.push({ line: 1, reason: 'the file is empty; expected a header row such as: email,score,comment,date' });
    return report;
  }
  const columns = new Map<string, number>();
  header.fields.forEach((name, index) => {
    const key = HEADERS[name.trim().toLowerCase().replace(/\s+/g, '_')];
    if (key && !columns.has(key)) columns.set(key, index);
  });
  const missing = [
    ...(columns.has('score') ? [] : ['score']),
    ...(columns.has('email') || columns.has('contactId') ? [] : ['email or hubspot_id']),
  ];
  if (missing.length > 0) {
    report.bad.push({
      line: header.line,
      reason: `missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (header: ${header.fields.join(', ')})`,
    });
    return report;
  }
  const now = deps.clock.now();
  for (const row of rows) {
    report.rows++;
    const cell = (key: string) => {
      const i = columns.get(key);
      return i === undefined ? '' : (row.fields[i] ?? '');
    };
    const parsed = await parseRow(deps.db, portalId, cell, now);
    if ('reason' in parsed) {
      report.bad.push({ line: row.line, reason: parsed.reason });
      continue;
    }
    // Each row on its own: one the database refuses is reported with its line and the import goes on.
    let recorded;
    try {
      recorded = await recordResponse(deps, {
        portalId,
        contactId: parsed.contactId,
        score: parsed.score,
        comment: parsed.comment,
        channel: 'import',
        trigger: 'import',
        answeredAt: parsed.answeredAt ?? now,
        importKey: parsed.importKey,
      });
    } catch (err) {
      report.bad.push({ line: row.line, reason: `the database refused the row: ${databaseReason(err)}` });
      continue;
    }
    if (recorded.created) report.imported++;
    else report.alreadyImported++;
  }
  return report;
}

/** The database's own words (a constraint, an encoding), first line only and bounded. */
function databaseReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? '').slice(0, 200) || 'unknown error';
}

/** Answers before this day are taken for typing errors (the year 0000, 1900 for 2000, …). */
const EARLIEST_ANSWER = new Date('2000-01-01T00:00:00Z');

interface GoodRow {
  contactId: number;
  score: number;
  comment: string | null;
  answeredAt?: Date;
  importKey: string;
}

async function parseRow(
  db: Queryable,
  portalId: number,
  cell: (key: string) => string,
  now: Date,
): Promise<GoodRow | { reason: string }> {
  const problems: string[] = [];
  const score = scoreSchema.safeParse(cell('score'));
  if (!score.success) problems.push(`bad score "${cell('score').trim()}": ${score.error.issues[0]!.message}`);
  const rawDate = cell('date').trim();
  let answeredAt: Date | undefined;
  if (rawDate !== '') {
    const date = dateSchema.safeParse(rawDate);
    if (!date.success) problems.push(`bad date "${rawDate}": ${date.error.issues[0]!.message}`);
    // A day of slack: a date written in a time zone ahead of UTC may lie in the UTC future.
    else if (date.data.getTime() > now.getTime() + DAY_MS) problems.push(`bad date "${rawDate}": it is in the future`);
    else if (date.data.getTime() < EARLIEST_ANSWER.getTime())
      problems.push(`bad date "${rawDate}": before 2000-01-01; answers from earlier are not accepted`);
    else answeredAt = date.data;
  }
  const comment = cell('comment');
  if (!isStorableText(comment))
    problems.push('bad comment: it holds a NUL character or an unpaired surrogate (a broken character)');
  if (comment.length > 5000) problems.push(`comment too long: ${comment.length} characters, at most 5000`);
  const contact = await resolveContact(db, portalId, cell('contactId'), cell('email'));
  if ('reason' in contact) problems.push(contact.reason);
  if (problems.length > 0 || !score.success || 'reason' in contact) return { reason: problems.join('; ') };
  const importKey = `csv:${createHash('sha256')
    .update(JSON.stringify([contact.ref, score.data, comment, rawDate]))
    .digest('hex')}`;
  return {
    contactId: contact.contactId,
    score: score.data,
    comment: comment === '' ? null : comment,
    answeredAt,
    importKey,
  };
}

/** By HubSpot id when the row has one, else by email; both through the local contact mirror. */
async function resolveContact(
  db: Queryable,
  portalId: number,
  rawId: string,
  rawEmail: string,
): Promise<{ contactId: number; ref: string } | { reason: string }> {
  if (rawId.trim() !== '') {
    const id = contactIdSchema.safeParse(rawId);
    if (!id.success) return { reason: `bad hubspot_id "${rawId.trim()}": ${id.error.issues[0]!.message}` };
    const c = await findImportContact(db, portalId, id.data);
    if (!c) return { reason: `unknown contact: no contact with id ${id.data} (run a contact sync if it is new)` };
    // A merged contact lives on as the one it was merged into.
    if (c.mergedInto !== null) return { contactId: c.mergedInto, ref: `id:${id.data}` };
    if (c.deleted) return { reason: `unknown contact: contact ${id.data} was deleted in HubSpot` };
    return { contactId: c.contactId, ref: `id:${id.data}` };
  }
  if (rawEmail.trim() === '') return { reason: 'missing contact: the row has neither an email nor a hubspot_id' };
  const email = emailSchema.safeParse(rawEmail);
  if (!email.success) return { reason: `bad email "${rawEmail.trim()}": ${email.error.issues[0]!.message}` };
  const contactId = await liveContactIdByEmail(db, portalId, email.data);
  if (contactId === null) return { reason: `unknown contact: no contact with email ${email.data}` };
  return { contactId, ref: `email:${email.data}` };
}
