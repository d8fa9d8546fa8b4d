import { randomUUID } from 'node:crypto';
import type { Db } from '../../storage/db';
import { planDemoHistory, type DemoContact } from './history-plan';
import { hasInvitationWithKeyPrefix, insertHistoryChunk, mirroredContacts } from './history.repo';

// `npm run demo` seeds the sandbox portal with a year of answers so the dashboard has a story to tell. Rows go
// straight into the tables (no outbox): this is history, not news for HubSpot. Seeding twice is a no-op.

export interface DemoHistoryOptions {
  /** Contacts to survey; default: every live contact mirrored for the portal. */
  contacts?: DemoContact[];
  /** Contacts whose history stops before the quiet period (see DemoContact.lapsed). */
  lapsedContactIds?: Iterable<number | string>;
  months?: number;
  now?: Date;
  seed?: number;
}

export interface DemoHistoryResult {
  invitations: number;
  answers: number;
  followUps: number;
  /** True when the portal already had demo history (nothing was added). */
  alreadySeeded: boolean;
}

const CHUNK = 500;
const KEY_PREFIX = 'demo-history:';

export async function seedDemoHistory(
  db: Db,
  portalId: number,
  opts: DemoHistoryOptions = {},
): Promise<DemoHistoryResult> {
  if (await hasInvitationWithKeyPrefix(db, portalId, KEY_PREFIX))
    return { invitations: 0, answers: 0, followUps: 0, alreadySeeded: true };
  const lapsed = new Set([...(opts.lapsedContactIds ?? [])].map(Number));
  const contacts = (opts.contacts ?? (await mirroredContacts(db, portalId))).map((c) =>
    lapsed.has(c.contactId) ? { ...c, lapsed: true } : c,
  );
  const plan = planDemoHistory(contacts, {
    months: opts.months ?? 12,
    now: opts.now ?? new Date(),
    seed: opts.seed ?? 1,
  });
  const rows = plan.map((p, i) => ({
    ...p,
    id: randomUUID(),
    responseId: randomUUID(),
    key: `${KEY_PREFIX}${p.contactId}:${i}`,
  }));
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK) await insertHistoryChunk(tx, portalId, rows.slice(i, i + CHUNK));
  });
  return {
    invitations: rows.length,
    answers: rows.filter((r) => r.answer).length,
    followUps: rows.filter((r) => r.followUp).length,
    alreadySeeded: false,
  };
}
