import { useState } from 'react';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tag } from '@hubspot/ui-extensions';
import type { CompanyCard } from '../contract';
import { CATEGORY_LABEL, CATEGORY_TAG, formatDate } from '../format';

const PAGE_SIZE = 10;

/** Each answering contact's latest (unexpired) score, newest first. */
export function CompanyContactsTable({ contacts }: { contacts: CompanyCard['contacts'] }) {
  const [page, setPage] = useState(1);
  const pageCount = Math.max(1, Math.ceil(contacts.length / PAGE_SIZE));
  const current = Math.min(page, pageCount);
  return (
    <Table
      paginated={pageCount > 1}
      pageCount={pageCount}
      page={current}
      onPageChange={setPage}
      testId="company-contacts"
    >
      <TableHead>
        <TableRow>
          <TableHeader>Contact</TableHeader>
          <TableHeader>Score</TableHeader>
          <TableHeader>Category</TableHeader>
          <TableHeader>Answered</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {contacts.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE).map((c) => (
          <TableRow key={c.contactId}>
            <TableCell>{c.name}</TableCell>
            <TableCell>{c.score}</TableCell>
            <TableCell>
              <Tag variant={CATEGORY_TAG[c.category]}>{CATEGORY_LABEL[c.category]}</Tag>
            </TableCell>
            <TableCell>{formatDate(c.answeredAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
