import type { Response } from 'express';
import type { Queryable } from '../storage';
import type { Logger } from '../shared';
import type { AnswerFilters } from './filters';
import { catchUpInsights } from './catch-up';
import { exportedAnswerPages } from './answers.repo';
import { csvLine } from './csv';

// Streams every answer under the filters as CSV, oldest first. Pages of PAGE_SIZE rows are read one at a time
// (by keyset, see exportedAnswerPages) and each page is written before the next is read, waiting for the client to
// drain: memory stays flat however many rows there are.

const PAGE_SIZE = 2000;

const EXPORT_COLUMNS = [
  'response_id',
  'answered_at',
  'score',
  'category',
  'comment',
  'follow_up_question',
  'follow_up_answer',
  'channel',
  'trigger',
  'source_object_type',
  'source_object_id',
  'pipeline',
  'stage',
  'contact_id',
  'company_id',
  'owner_id',
  'language',
] as const;

export async function streamAnswersCsv(
  db: Queryable,
  portalId: number,
  filters: AnswerFilters,
  res: Response,
  log: Logger,
): Promise<number> {
  if (filters.segment) await catchUpInsights(db, portalId);
  res.status(200);
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader(
    'content-disposition',
    `attachment; filename="nps-answers-${filters.period.from}-to-${filters.period.to}.csv"`,
  );
  res.setHeader('cache-control', 'no-store');
  await write(res, csvLine([...EXPORT_COLUMNS]));
  let rows = 0;
  try {
    for await (const page of exportedAnswerPages(db, portalId, filters, PAGE_SIZE)) {
      let chunk = '';
      for (const x of page) {
        chunk += csvLine([
          x.responseId,
          x.answeredAt,
          x.score,
          x.category,
          x.comment,
          x.followUpQuestion,
          x.followUpAnswer,
          x.channel,
          x.trigger,
          x.sourceObjectType,
          x.sourceObjectId,
          x.pipeline,
          x.stage,
          x.contactId,
          x.companyId,
          x.ownerId,
          x.language,
        ]);
      }
      rows += page.length;
      await write(res, chunk);
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
