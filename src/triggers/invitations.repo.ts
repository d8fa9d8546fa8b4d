import type { Queryable } from '../storage';

export interface InvitationView {
  id: string;
  contactId: string;
  trigger: string;
  ruleId: string | null;
  milestoneKey: string;
  source: { objectType: string; objectId: string | null; pipeline: string | null; stage: string | null } | null;
  channel: string;
  language: string | null;
  status: string;
  skipReason: string | null;
  /** What the carrier reported last for a text (queued, sent, delivered, undelivered, failed); null otherwise. */
  deliveryStatus: string | null;
  scheduledFor: string;
  sentAt: string | null;
  remindedAt: string | null;
  answeredAt: string | null;
  expiresAt: string | null;
  createdAt: string;
}

interface Row {
  id: string;
  contact_id: string;
  trigger: string;
  rule_id: string | null;
  milestone_key: string;
  source_object_type: string | null;
  source_object_id: string | null;
  source_pipeline: string | null;
  source_stage: string | null;
  channel: string;
  language: string | null;
  status: string;
  skip_reason: string | null;
  delivery_status: string | null;
  scheduled_for: Date | string;
  sent_at: Date | string | null;
  reminded_at: Date | string | null;
  answered_at: Date | string | null;
  expires_at: Date | string | null;
  created_ms: Date | string;
}

const isoOrNull = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

function toView(r: Row): InvitationView {
  return {
    id: r.id,
    contactId: String(r.contact_id),
    trigger: r.trigger,
    ruleId: r.rule_id,
    milestoneKey: r.milestone_key,
    source: r.source_object_type
      ? {
          objectType: r.source_object_type,
          objectId: r.source_object_id === null ? null : String(r.source_object_id),
          pipeline: r.source_pipeline,
          stage: r.source_stage,
        }
      : null,
    channel: r.channel,
    language: r.language,
    status: r.status,
    skipReason: r.skip_reason,
    deliveryStatus: r.delivery_status,
    scheduledFor: new Date(r.scheduled_for).toISOString(),
    sentAt: isoOrNull(r.sent_at),
    remindedAt: isoOrNull(r.reminded_at),
    answeredAt: isoOrNull(r.answered_at),
    expiresAt: isoOrNull(r.expires_at),
    createdAt: new Date(r.created_ms).toISOString(),
  };
}

/**
 * Newest first. Keyset paging on (created_at to the millisecond, id): the cursor survives JSON and JavaScript
 * dates, and rows added meanwhile never shift a page.
 */
export async function listInvitations(
  db: Queryable,
  portalId: number,
  q: { contactId?: string; status?: string; limit: number; after?: { createdAt: Date; id: string } },
): Promise<InvitationView[]> {
  const r = await db.query<Row>(
    `SELECT id, contact_id, trigger, rule_id, milestone_key, source_object_type, source_object_id, source_pipeline, source_stage, channel,
            language, status, skip_reason, delivery_status, scheduled_for, sent_at, reminded_at, answered_at, expires_at,
            date_trunc('milliseconds', created_at) AS created_ms
       FROM invitations
      WHERE portal_id = $1 AND ($2::bigint IS NULL OR contact_id = $2::bigint) AND ($3::text IS NULL OR status = $3::text)
        AND ($4::timestamptz IS NULL OR (date_trunc('milliseconds', created_at), id) < ($4::timestamptz, $5::uuid))
      ORDER BY date_trunc('milliseconds', created_at) DESC, id DESC
      LIMIT $6`,
    [portalId, q.contactId ?? null, q.status ?? null, q.after?.createdAt ?? null, q.after?.id ?? null, q.limit],
  );
  return r.rows.map(toView);
}

/** Skipped invitations counted by reason; `since` filters on when they were skipped. */
export async function skipSummary(
  db: Queryable,
  portalId: number,
  q: { since?: Date; contactId?: string } = {},
): Promise<Record<string, number>> {
  const r = await db.query<{ reason: string | null; n: string }>(
    `SELECT skip_reason AS reason, count(*) AS n FROM invitations
      WHERE portal_id = $1 AND status = 'skipped' AND ($2::timestamptz IS NULL OR updated_at >= $2::timestamptz)
        AND ($3::bigint IS NULL OR contact_id = $3::bigint)
      GROUP BY skip_reason ORDER BY skip_reason`,
    [portalId, q.since ?? null, q.contactId ?? null],
  );
  return Object.fromEntries(r.rows.map((row) => [row.reason ?? 'unknown', Number(row.n)]));
}
