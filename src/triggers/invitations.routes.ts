import type { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../core';
import { requireAdmin } from '../auth';
import { BadRequestError, parseInput } from '../shared';
import { listInvitations, skipSummary } from './invitations.repo';

// Admin API over invitations: what was scheduled, sent, answered or skipped, and why. The card and the
// dashboard show skips from here ("not surveyed: opted out").

const STATUSES = ['scheduled', 'sent', 'reminded', 'answered', 'expired', 'skipped'] as const;

const listQuery = z
  .object({
    contactId: z
      .string()
      .regex(/^\d{1,18}$/, 'a HubSpot contact id')
      .optional(),
    status: z.enum(STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    after: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,200}$/, 'a cursor from a previous page')
      .optional(),
  })
  .strict();

const summaryQuery = z
  .object({
    since: z.iso.datetime({ offset: true, error: 'an ISO date-time such as 2026-01-31T00:00:00Z' }).optional(),
    contactId: z
      .string()
      .regex(/^\d{1,18}$/, 'a HubSpot contact id')
      .optional(),
  })
  .strict();

/** Cursor = base64url("createdAtISO|id") of the last row: stable while new invitations are added. */
function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CURSOR_AT = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Only what encodeCursor writes: an ISO instant that reads back the same (years 2000–2999) and a uuid. */
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const [at = '', id = ''] = parts;
  const year = CURSOR_AT.exec(at)?.[1];
  const createdAt = new Date(at);
  if (
    parts.length !== 2 ||
    !UUID.test(id) ||
    !year ||
    year < '2000' ||
    Number.isNaN(createdAt.getTime()) ||
    createdAt.toISOString() !== at
  ) {
    throw new BadRequestError(
      'invalid request query: after: not a cursor returned by this API',
      undefined,
      'invalid_input',
    );
  }
  return { createdAt, id };
}

export function invitationRoutes(router: Router, deps: AppDeps): void {
  const admin = requireAdmin(deps);
  router.get('/api/invitations', admin, async (req, res) => {
    const q = parseInput(listQuery, req.query, 'request query');
    const page = await listInvitations(deps.db, req.portalId as number, {
      contactId: q.contactId,
      status: q.status,
      limit: q.limit,
      after: q.after ? decodeCursor(q.after) : undefined,
    });
    const last = page.length === q.limit ? page[page.length - 1] : undefined;
    res.json({ invitations: page, next: last ? encodeCursor(new Date(last.createdAt), last.id) : null });
  });
  router.get('/api/invitations/skips/summary', admin, async (req, res) => {
    const q = parseInput(summaryQuery, req.query, 'request query');
    const byReason = await skipSummary(deps.db, req.portalId as number, {
      since: q.since ? new Date(q.since) : undefined,
      contactId: q.contactId,
    });
    res.json({ total: Object.values(byReason).reduce((a, b) => a + b, 0), byReason });
  });
}
