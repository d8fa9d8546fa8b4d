import { z } from 'zod';

// The one contract between the CRM cards and the card API (src/card-api). The backend builds these shapes and
// its contract test parses them; the cards parse every response with them before rendering anything.

const CATEGORIES = ['promoter', 'passive', 'detractor'] as const;
const categorySchema = z.enum(CATEGORIES);
export type NpsCategory = z.infer<typeof categorySchema>;

const isoDateTime = z.iso.datetime({ offset: true });
const score = z.number().int().min(0).max(10);
/** HubSpot record ids are 64-bit: carried as digit strings so no precision is lost in JSON. */
const recordId = z.string().regex(/^\d{1,20}$/);

const SOURCE_TYPES = ['deal', 'ticket', 'workflow', 'relationship', 'manual', 'import'] as const;
const CHANNELS = ['email', 'page', 'manual', 'import', 'workflow', 'sms', 'web'] as const;

const responseSourceSchema = z.object({
  type: z.enum(SOURCE_TYPES),
  id: recordId.optional(),
  url: z.url().optional(),
  label: z.string().optional(),
});

const historyEntrySchema = z.object({
  /** The answer's id, for "Exclude"; absent from backends older than the action. */
  responseId: z.uuid().optional(),
  answeredAt: isoDateTime,
  score,
  category: categorySchema,
  comment: z.string().nullable(),
  /** The answer to the survey's follow-up question; absent or null when none was asked or answered. */
  followUpAnswer: z.string().nullable().optional(),
  source: responseSourceSchema,
  channel: z.enum(CHANNELS),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

const trendPointSchema = z.object({ date: isoDateTime, score });

/** The current answer against the previous one (src/responses/score-change.rules.ts). */
const scoreChangeSchema = z.object({
  trend: z.enum(['improved', 'declined', 'unchanged', 'first']),
  previousScore: score.nullable(),
  /** Current − previous; null for a first answer. */
  points: z.number().int().min(-10).max(10).nullable(),
  /** Fell from promoter or passive to detractor, or dropped 3 points or more. */
  atRisk: z.boolean(),
});
export type ScoreChangeView = z.infer<typeof scoreChangeSchema>;
export type TrendPoint = z.infer<typeof trendPointSchema>;

const PRIORITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;

const followUpSchema = z.object({
  /** The HubSpot task id once the task exists, else our follow-up id. */
  id: z.string().min(1),
  subject: z.string(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  dueAt: isoDateTime.nullable(),
  priority: z.enum(PRIORITIES).nullable(),
  /** Link to the task in HubSpot; null while the task is still being created. */
  url: z.url().nullable(),
  contactId: recordId,
});
export type FollowUp = z.infer<typeof followUpSchema>;

const SURVEY_STATES = ['pending', 'skipped', 'quiet_period', 'none', 'answered', 'expired'] as const;

const surveyStatusSchema = z.object({
  state: z.enum(SURVEY_STATES),
  /** Why the latest survey was skipped, e.g. "opted_out", "no_email", "quiet_period". */
  reason: z.string().optional(),
  quietUntil: isoDateTime.optional(),
  sentAt: isoDateTime.optional(),
});
export type SurveyStatus = z.infer<typeof surveyStatusSchema>;

/** Why "Send survey now" is disabled (the fatigue reasons that a person cannot override, plus a pending survey). */
const SEND_BLOCKERS = ['opted_out', 'no_email', 'bounced', 'contact_deleted', 'unknown_contact', 'pending'] as const;

const canSendSchema = z.object({
  allowed: z.boolean(),
  /** Allowed, but only after the user confirms (inside the quiet period). */
  needsConfirmation: z.boolean(),
  /** Human-readable: shown next to a disabled button or in the confirmation. */
  reason: z.string().optional(),
  code: z.enum([...SEND_BLOCKERS, 'quiet_period']).optional(),
  quietUntil: isoDateTime.optional(),
});
export type CanSend = z.infer<typeof canSendSchema>;

/** The card shows at most this many answers; historyTotal says how many exist. */
export const HISTORY_LIMIT = 200;
/**
 * History comments longer than this are cut (ending in "…"): 200 full 5,000-character comments would pass
 * hubspot.fetch's 1 MB response limit. The latest comment is also on the contact (nps_last_comment). Follow-up
 * answers are cut the same way.
 */
export const HISTORY_COMMENT_LIMIT = 1000;

export const contactCardSchema = z.object({
  contactId: recordId,
  score: score.nullable(),
  category: categorySchema.nullable(),
  currentAnsweredAt: isoDateTime.nullable(),
  /** Null (or absent) when there is no current score. */
  change: scoreChangeSchema.nullable().optional(),
  /** Newest first; at most HISTORY_LIMIT entries. */
  history: z.array(historyEntrySchema),
  historyTotal: z.number().int().min(0),
  /** Oldest first, for the chart. */
  trend: z.array(trendPointSchema),
  openFollowUps: z.array(followUpSchema),
  surveyStatus: surveyStatusSchema,
  canSend: canSendSchema,
});
export type ContactCard = z.infer<typeof contactCardSchema>;

const companyContactSchema = z.object({
  contactId: recordId,
  name: z.string(),
  score,
  category: categorySchema,
  answeredAt: isoDateTime,
});

/** The company card lists at most this many answering contacts (the newest); contactsTotal says how many exist. */
export const COMPANY_CONTACT_LIMIT = 200;
/** Contact names longer than this are cut, so the capped list stays far below hubspot.fetch's 1 MB. */
export const CONTACT_NAME_LIMIT = 200;

export const companyCardSchema = z.object({
  companyId: recordId,
  name: z.string().nullable(),
  nps: z.number().min(-100).max(100).nullable(),
  marginOfError: z.number().min(0).nullable(),
  n: z.number().int().min(0),
  tooFew: z.boolean(),
  counts: z.object({
    promoters: z.number().int().min(0),
    passives: z.number().int().min(0),
    detractors: z.number().int().min(0),
  }),
  /** Newest answer first; at most COMPANY_CONTACT_LIMIT entries. */
  contacts: z.array(companyContactSchema),
  /** How many contacts have a current answer (contacts may list fewer). */
  contactsTotal: z.number().int().min(0),
  openFollowUps: z.array(followUpSchema),
});
export type CompanyCard = z.infer<typeof companyCardSchema>;

/** Idempotency key: the card makes one per click, so HubSpot's retry of the same request is recognised. */
const requestKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'use 8–64 letters, digits, "-" or "_"');

export const MAX_COMMENT_LENGTH = 5000;

export const logResponseBodySchema = z.object({
  score,
  comment: z.string().max(MAX_COMMENT_LENGTH, `at most ${MAX_COMMENT_LENGTH} characters`).optional(),
  requestKey: requestKeySchema.optional(),
});
export type LogResponseBody = z.infer<typeof logResponseBodySchema>;

export const MAX_EXCLUSION_REASON_LENGTH = 500;

/** "Exclude" on a history row: why (kept in the audit trail). */
export const excludeAnswerBodySchema = z.object({
  reason: z
    .string({ error: 'say why (required)' })
    .trim()
    .min(1, 'say why (required)')
    .max(MAX_EXCLUSION_REASON_LENGTH, `at most ${MAX_EXCLUSION_REASON_LENGTH} characters`),
});
export type ExcludeAnswerBody = z.infer<typeof excludeAnswerBodySchema>;

export const excludeAnswerResultSchema = z.object({ responseId: z.string().min(1), excluded: z.literal(true) });
export type ExcludeAnswerResult = z.infer<typeof excludeAnswerResultSchema>;

export const sendSurveyBodySchema = z.object({
  confirm: z.boolean().optional(),
  requestKey: requestKeySchema.optional(),
});
export type SendSurveyBody = z.infer<typeof sendSurveyBodySchema>;

export const sendSurveyResultSchema = z.object({
  status: z.enum(['scheduled', 'duplicate']),
  invitationId: z.string().min(1),
  scheduledFor: isoDateTime,
});
export type SendSurveyResult = z.infer<typeof sendSurveyResultSchema>;

export const logResponseResultSchema = z.object({
  responseId: z.string().min(1),
  category: categorySchema,
  /** false when this request repeated one already recorded. */
  created: z.boolean(),
});
export type LogResponseResult = z.infer<typeof logResponseResultSchema>;

/**
 * Business outcomes the card must show. HubSpot's proxy turns a backend 3xx–5xx into a BAD_GATEWAY envelope the
 * card cannot rely on, so these come back with HTTP 200 as `{ outcome, message, quietUntil? }`; 4xx/5xx remain
 * for signature failures and real errors.
 */
export const CARD_OUTCOMES = [
  /** Inside the quiet period: send again with confirm: true. */
  'needs_confirmation',
  'survey_pending',
  'opted_out',
  'no_email',
  'bounced',
  'contact_deleted',
  /** NPS Loop has not synced the contact (or it was never surveyable). */
  'unknown_contact',
  /** The card's record is not (yet) known to NPS Loop. */
  'not_found',
  /** The request body failed validation; the message says what to fix. */
  'invalid_input',
  /** Any other reason a survey cannot go out. */
  'not_sendable',
  /** Only an NPS Loop admin of the account may do this (exclude an answer). */
  'admin_required',
] as const;
export type CardOutcomeCode = (typeof CARD_OUTCOMES)[number];

export const cardOutcomeSchema = z.object({
  outcome: z.enum(CARD_OUTCOMES),
  message: z.string(),
  quietUntil: isoDateTime.optional(),
});
export type CardOutcome = z.infer<typeof cardOutcomeSchema>;

/** Every 4xx/5xx body: `{ error: { code, message } }`, plus what the card needs to react (quiet period end). */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    quietUntil: isoDateTime.optional(),
  }),
});

/** POST /api/card/dashboard-link: a one-time, two-minute sign-in link to the dashboard. */
export const dashboardLinkSchema = z.object({ url: z.url(), expiresAt: z.iso.datetime() });
export type DashboardLink = z.infer<typeof dashboardLinkSchema>;
