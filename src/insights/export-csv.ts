import type { Response } from 'express';
import type { Queryable } from '../storage';
import type { Logger } from '../shared';
import type { AnswerFilters } from './filters';
import { catchUpInsights } from './catch-up';
import { answerWhere } from './answer-filter-sql';
import { csvLine } from './csv';

// Streams every answer under the filters as CSV, oldest first. Pages of PAGE_SIZE rows are read by keyset
// (answered_at, id) — the same on PGlite and Postgres, no open cursor between pages — and each page is written
// before the next is read, waiting for the client to drain: memory stays flat however many rows there are.

const PAGE_SIZE = 2000;

export const EXPORT_COLUMNS = [
  'response_id', 'answered_at', 'score', 'category', 'comment', 'channel', 'trigger', 'source_object_type', 'source_object_id',
  'pipeline', 'stage', 'contact_id', 'company_id', 'owner_id', 'language',
] as const;

interface ExportRow {
  id: string;
  answered_at_iso: string;
  /** Exact timestamp text (microseconds) for the next page's keyset. */
  cursor_at: string;
  score: number;
  category: string;
  comment: string | null;
  channel: string;
  trigger: string;
  source_object_type: string | null;
  source_object_id: string | null;
  source_pipeline: string | null;
  source_stage: string | null;
  contact_id: string;
  company_id: string | null;
  owner_id: string | null;
  language: string | null;
}

export async function streamAnswersCsv(db: Queryable, portalId: number, filters: AnswerFilters, res: Response, log: Logger): Promise<number> {
  if (filters.segment) await catchUpInsights(db, portalId);
  const w = answerWhere(portalId, filters);
  const at = w.params.length + 1;
  res.status(200);
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="nps-answers-${filters.period.from}-to-${filters.period.to}.csv"`);
  res.setHeader('cache-control', 'no-store');
  await write(res, csvLine([...EXPORT_COLUMNS]));
  let after: { at: string; id: string } | null = null;
  let rows = 0;
  try {
    for (;;) {
      const keyset = after ? `AND (r.answered_at, r.id) > ($${at}::timestamptz, $${at + 1}::uuid)` : '';
      const page: { rows: ExportRow[] } = await db.query<ExportRow>(
        `SELECT r.id, to_char(r.answered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS answered_at_iso,
                r.answered_at::text AS cursor_at, r.score, r.category, r.comment, r.channel, r.trigger, r.source_object_type,
                r.source_object_id, r.source_pipeline, r.source_stage, r.contact_id, r.company_id, r.owner_id, r.language
           FROM responses r ${w.join}
          WHERE ${w.where} ${keyset}
          ORDER BY r.answered_at, r.id
          LIMIT ${PAGE_SIZE}`,
        after ? [...w.params, after.at, after.id] : w.params,
      );
      if (page.rows.length === 0) break;
      let chunk = '';
      for (const x of page.rows) {
        chunk += csvLine([
          x.id, x.answered_at_iso, Number(x.score), x.category, x.comment, x.channel, x.trigger, x.source_object_type,
          x.source_object_id === null ? null : String(x.source_object_id), x.source_pipeline, x.source_stage, String(x.contact_id),
          x.company_id === null ? null : String(x.company_id), x.owner_id, x.language,
        ]);
      }
      rows += page.rows.length;
      await write(res, chunk);
      if (page.rows.length < PAGE_SIZE) break;
      const last = page.rows[page.rows.length - 1]!;
      after = { at: last.cursor_at, id: last.id };
    }
    res.end();
  } catch (err) {
    // The header is out: the only honest signal left is a broken download, never a short file that looks complete.
    log.error({ err, rows }, 'CSV export failed midway');
    res.destroy(err as Error);
  }
  return rows;
}

/** Writes and waits for the socket to drain when its buffer is full (backpressure), or for it to close. */
function write(res: Response, text: string): Promise<void> {
  if (res.write(text)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', closed);
      resolve();
    };
    const closed = () => {
      res.off('drain', done);
      reject(new Error('client closed the connection during the export'));
    };
    res.once('drain', done);
    res.once('close', closed);
  });
}
