import {
  EmptyState,
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
import type { FollowUp } from '../contract';
import { formatDate } from '../format';

const PRIORITY_TAG = { HIGH: 'error', MEDIUM: 'warning', LOW: 'default' } as const;

/** Open follow-up tasks (completed ones never reach the card). */
export function FollowUpTable({ followUps }: { followUps: FollowUp[] }) {
  if (followUps.length === 0) {
    return (
      <EmptyState title="No open follow-ups" layout="horizontal" imageName="task" flush>
        <Text>Every follow-up task for these answers is done.</Text>
      </EmptyState>
    );
  }
  return (
    <Table testId="follow-up-table">
      <TableHead>
        <TableRow>
          <TableHeader>Task</TableHeader>
          <TableHeader>Owner</TableHeader>
          <TableHeader>Due</TableHeader>
          <TableHeader>Priority</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {followUps.map((f) => (
          <TableRow key={f.id}>
            <TableCell>
              {f.url ? <Link href={{ url: f.url, external: true }}>{f.subject}</Link> : `${f.subject} (being created)`}
            </TableCell>
            <TableCell>{f.ownerName ?? (f.ownerId ? `Owner ${f.ownerId}` : 'Unassigned')}</TableCell>
            <TableCell>{formatDate(f.dueAt)}</TableCell>
            <TableCell>
              {f.priority ? <Tag variant={PRIORITY_TAG[f.priority]}>{f.priority.toLowerCase()}</Tag> : '—'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
