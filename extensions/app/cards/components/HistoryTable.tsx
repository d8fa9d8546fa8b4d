import { useState } from 'react';
import {
  Button,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { HistoryEntry } from '../contract';
import { CATEGORY_LABEL, CATEGORY_TAG, channelLabel, formatDate } from '../format';

const HISTORY_PAGE_SIZE = 10;

/**
 * Every answer with its comment and follow-up answer, newest first, ten per page; the source links to its record.
 * With `onExclude`, each answer the backend names gets an "Exclude" button.
 */
export function HistoryTable({
  history,
  total,
  onExclude,
}: {
  history: HistoryEntry[];
  total: number;
  onExclude?: (entry: HistoryEntry & { responseId: string }) => void;
}) {
  const [page, setPage] = useState(1);
  const pageCount = Math.max(1, Math.ceil(history.length / HISTORY_PAGE_SIZE));
  const current = Math.min(page, pageCount);
  const rows = history.slice((current - 1) * HISTORY_PAGE_SIZE, current * HISTORY_PAGE_SIZE);
  return (
    <>
      <Table
        paginated={pageCount > 1}
        pageCount={pageCount}
        page={current}
        onPageChange={setPage}
        testId="history-table"
      >
        <TableHead>
          <TableRow>
            <TableHeader>Date</TableHeader>
            <TableHeader>Score</TableHeader>
            <TableHeader>Category</TableHeader>
            <TableHeader>Comment</TableHeader>
            <TableHeader>Follow-up answer</TableHeader>
            <TableHeader>Source</TableHeader>
            <TableHeader>Channel</TableHeader>
            {onExclude && <TableHeader>Actions</TableHeader>}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((h, i) => (
            <TableRow key={`${h.answeredAt}-${i}`}>
              <TableCell>{formatDate(h.answeredAt)}</TableCell>
              <TableCell>{h.score}</TableCell>
              <TableCell>
                <Tag variant={CATEGORY_TAG[h.category]}>{CATEGORY_LABEL[h.category]}</Tag>
              </TableCell>
              <TableCell>{h.comment ?? '—'}</TableCell>
              <TableCell>{h.followUpAnswer ?? '—'}</TableCell>
              <TableCell>
                {h.source.url ? (
                  <Link href={{ url: h.source.url, external: true }}>{h.source.label ?? h.source.type}</Link>
                ) : (
                  (h.source.label ?? h.source.type)
                )}
              </TableCell>
              <TableCell>{channelLabel(h.channel)}</TableCell>
              {onExclude && (
                <TableCell>
                  {h.responseId ? (
                    <Button
                      variant="transparent"
                      size="xs"
                      onClick={() => onExclude({ ...h, responseId: h.responseId! })}
                      testId={`exclude-${h.responseId}`}
                    >
                      Exclude
                    </Button>
                  ) : (
                    '—'
                  )}
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {total > history.length && (
        <Text variant="microcopy">
          Showing the latest {history.length} of {total} answers.
        </Text>
      )}
    </>
  );
}
