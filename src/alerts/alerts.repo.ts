import type { Category } from '../core';
import type { Queryable } from '../storage';
import type { AlertDestination } from './alert.rules';
import type { AlertAnswer } from './alert-message';
import type { WebhookKind } from './webhook-url';

// Every query of the alerts feature: the portal's webhook (its URL encrypted), the answers alerts are about, and
// what was planned and sent per answer and destination (alert_deliveries).

export interface StoredWebhook {
  kind: WebhookKind;
  urlEnc: string;
  urlHint: string;
  updatedAt: Date;
  /** Turned off after Slack or Teams said the webhook is gone or refused us; null while it is in use. */
  disabled: { at: Date; reason: string } | null;
}

type WebhookRow = {
  kind: WebhookKind;
  url_enc: string;
  url_hint: string;
  updated_at: Date | string;
  disabled_at: Date | string | null;
  disabled_reason: string | null;
};

function toWebhook(row: WebhookRow): StoredWebhook {
  return {
    kind: row.kind,
    urlEnc: row.url_enc,
    urlHint: row.url_hint,
    updatedAt: new Date(row.updated_at),
    disabled: row.disabled_at ? { at: new Date(row.disabled_at), reason: row.disabled_reason ?? '' } : null,
  };
}

const WEBHOOK_COLUMNS = 'portal_id, kind, url_enc, url_hint, updated_at, disabled_at, disabled_reason';

export async function getWebhook(db: Queryable, portalId: number): Promise<StoredWebhook | null> {
  const r = await db.query<WebhookRow>(`SELECT ${WEBHOOK_COLUMNS} FROM alert_webhooks WHERE portal_id = $1`, [
    portalId,
  ]);
  const row = r.rows[0];
  return row ? toWebhook(row) : null;
}

/** Every disabled webhook, to show on /healthz after a restart. */
export async function disabledWebhooks(db: Queryable): Promise<Array<{ portalId: number } & StoredWebhook>> {
  const r = await db.query<WebhookRow & { portal_id: string | number }>(
    `SELECT ${WEBHOOK_COLUMNS} FROM alert_webhooks WHERE disabled_at IS NOT NULL`,
  );
  return r.rows.map((row) => ({ portalId: Number(row.portal_id), ...toWebhook(row) }));
}

/**
 * Turns the webhook off, only if it is still the address that was refused (an admin may have saved a new one
 * while the message was on its way). True when it was turned off.
 */
export async function disableWebhook(
  db: Queryable,
  portalId: number,
  refusedUrlEnc: string,
  reason: string,
  now: Date,
): Promise<boolean> {
  const r = await db.query(
    `UPDATE alert_webhooks SET disabled_at = $4, disabled_reason = $3
      WHERE portal_id = $1 AND url_enc = $2 AND disabled_at IS NULL RETURNING portal_id`,
    [portalId, refusedUrlEnc, reason.slice(0, 500), now],
  );
  return r.rows.length > 0;
}

export async function saveWebhook(
  db: Queryable,
  portalId: number,
  w: { kind: WebhookKind; urlEnc: string; urlHint: string },
): Promise<void> {
  await db.query(
    `INSERT INTO alert_webhooks (portal_id, kind, url_enc, url_hint) VALUES ($1, $2, $3, $4)
     ON CONFLICT (portal_id) DO UPDATE SET kind = EXCLUDED.kind, url_enc = EXCLUDED.url_enc, url_hint = EXCLUDED.url_hint, updated_at = now(),
       disabled_at = NULL, disabled_reason = NULL`,
    [portalId, w.kind, w.urlEnc, w.urlHint],
  );
}

export async function deleteWebhook(db: Queryable, portalId: number): Promise<boolean> {
  const r = await db.query('DELETE FROM alert_webhooks WHERE portal_id = $1 RETURNING portal_id', [portalId]);
  return r.rows.length > 0;
}

export interface AnswerForAlert extends AlertAnswer {
  /** The contact's owner now (else the one stored with the answer). */
  ownerId: string | null;
}

/** The answers, with their contact, triggering record and follow-up task; missing ids are left out. */
export async function loadAlertAnswers(
  db: Queryable,
  portalId: number,
  responseIds: string[],
): Promise<Map<string, AnswerForAlert>> {
  if (responseIds.length === 0) return new Map();
  const r = await db.query<{
    id: string;
    score: number;
    category: Category;
    comment: string | null;
    follow_up_answer: string | null;
    answered_at: Date | string;
    contact_id: string;
    source_object_type: string | null;
    source_object_id: string | null;
    owner_id: string | null;
    firstname: string | null;
    lastname: string | null;
    email: string | null;
    hubspot_task_id: string | null;
  }>(
    `SELECT r.id, r.score, r.category, r.comment, r.follow_up_answer, r.answered_at, r.contact_id::text AS contact_id,
            r.source_object_type, r.source_object_id::text AS source_object_id, coalesce(c.owner_id, r.owner_id) AS owner_id,
            c.firstname, c.lastname, c.email, f.hubspot_task_id
       FROM responses r
       LEFT JOIN contacts c ON c.portal_id = r.portal_id AND c.contact_id = r.contact_id
       LEFT JOIN follow_ups f ON f.response_id = r.id
      WHERE r.portal_id = $1 AND r.id = ANY($2::uuid[])`,
    [portalId, responseIds],
  );
  return new Map(
    r.rows.map((x) => {
      const name = [x.firstname, x.lastname].filter(Boolean).join(' ').trim() || null;
      const sourceType =
        x.source_object_type === 'deal' || x.source_object_type === 'ticket' ? x.source_object_type : null;
      return [
        x.id,
        {
          responseId: x.id,
          portalId,
          score: Number(x.score),
          category: x.category,
          comment: x.comment,
          followUpAnswer: x.follow_up_answer,
          answeredAt: new Date(x.answered_at),
          contact: { id: x.contact_id, name, email: x.email },
          source: sourceType && x.source_object_id ? { type: sourceType, id: x.source_object_id } : null,
          taskId: x.hubspot_task_id,
          ownerId: x.owner_id,
        },
      ];
    }),
  );
}

export interface PlannedAlert {
  responseId: string;
  destination: AlertDestination;
  wanted: { score: number; category: Category };
  sent: { score: number; category: Category } | null;
  digestDay: string | null;
}

type PlannedRow = {
  response_id: string;
  destination: AlertDestination;
  wanted_score: number;
  wanted_category: Category;
  sent_score: number | null;
  sent_category: Category | null;
  digest_day: string | null;
};

const PLANNED_COLUMNS = `response_id, destination, wanted_score, wanted_category, sent_score, sent_category, digest_day::text AS digest_day`;

function toPlanned(x: PlannedRow): PlannedAlert {
  return {
    responseId: x.response_id,
    destination: x.destination,
    wanted: { score: Number(x.wanted_score), category: x.wanted_category },
    sent: x.sent_score === null ? null : { score: Number(x.sent_score), category: x.sent_category! },
    digestDay: x.digest_day,
  };
}

/** What was planned for these answers, keyed "<responseId>:<destination>". */
export async function loadPlanned(
  db: Queryable,
  portalId: number,
  responseIds: string[],
): Promise<Map<string, PlannedAlert>> {
  if (responseIds.length === 0) return new Map();
  const r = await db.query<PlannedRow>(
    `SELECT ${PLANNED_COLUMNS} FROM alert_deliveries WHERE portal_id = $1 AND response_id = ANY($2::uuid[])`,
    [portalId, responseIds],
  );
  return new Map(r.rows.map((x) => [`${x.response_id}:${x.destination}`, toPlanned(x)]));
}

/** Records that this version of the answer must be alerted to the destination (now, or in a day's digest). */
export async function planAlert(
  db: Queryable,
  portalId: number,
  p: { responseId: string; destination: AlertDestination; score: number; category: Category; digestDay: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO alert_deliveries (portal_id, response_id, destination, wanted_score, wanted_category, digest_day)
     VALUES ($1, $2, $3, $4, $5, $6::date)
     ON CONFLICT (portal_id, response_id, destination) DO UPDATE SET wanted_score = EXCLUDED.wanted_score,
       wanted_category = EXCLUDED.wanted_category, digest_day = EXCLUDED.digest_day, updated_at = now()`,
    [portalId, p.responseId, p.destination, p.score, p.category, p.digestDay],
  );
}

/** Records what was sent (the wanted version read before sending). */
export async function markAlertsSent(db: Queryable, portalId: number, sent: PlannedAlert[], now: Date): Promise<void> {
  for (const s of sent)
    await db.query(
      `UPDATE alert_deliveries SET sent_score = $4, sent_category = $5, sent_at = $6, updated_at = now()
        WHERE portal_id = $1 AND response_id = $2 AND destination = $3`,
      [portalId, s.responseId, s.destination, s.wanted.score, s.wanted.category, now],
    );
}

/** A day's digest entries for a destination that still have to be sent. */
export async function unsentDigest(
  db: Queryable,
  portalId: number,
  destination: AlertDestination,
  day: string,
): Promise<PlannedAlert[]> {
  const r = await db.query<PlannedRow>(
    `SELECT ${PLANNED_COLUMNS} FROM alert_deliveries
      WHERE portal_id = $1 AND destination = $2 AND digest_day = $3::date
        AND (sent_score IS NULL OR sent_score > wanted_score OR sent_category IS DISTINCT FROM wanted_category)
      ORDER BY updated_at, response_id`,
    [portalId, destination, day],
  );
  return r.rows.map(toPlanned);
}
