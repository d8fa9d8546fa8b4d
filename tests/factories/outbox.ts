import type { OutboxKind } from '../../src/outbox';
import type { Queryable } from '../../src/storage/db';
import { updateRow } from './sql';

// Outbox items are marked through their kind's declaration (kind.mark), as the features mark them. A test that
// needs an item that already failed (attempts, last error, refused by HubSpot) gets those columns set directly
// (own SQL): the product reaches that state only through a drain against HubSpot.

export interface OutboxItemState {
  dueAt?: Date;
  attempts?: number;
  lastError?: string | null;
  rejected?: boolean;
}

export interface OutboxItemRow {
  portalId: number;
  kind: string;
  key: string;
}

export async function anOutboxItem(
  db: Queryable,
  portalId: number,
  kind: Pick<OutboxKind, 'kind' | 'mark'>,
  key: string,
  state: OutboxItemState = {},
): Promise<OutboxItemRow> {
  await kind.mark(db, portalId, key, state.dueAt);
  await updateRow(
    db,
    'outbox',
    { portal_id: portalId, kind: kind.kind, item_key: key },
    {
      attempts: state.attempts,
      last_error: state.lastError,
      rejected: state.rejected,
    },
  );
  return { portalId, kind: kind.kind, key };
}
