import { z } from 'zod';
import { LANGUAGES } from './languages';

// The settings of features that came after the core ones (alerts, eNPS, custom segments, the in-app web survey),
// each a key of the settings object in settings-schema.ts. Every field has a default, so `{}` stays valid.

/** Detractor alerts (src/alerts). The webhook address is a secret kept encrypted in its own table, not here. */
export const alertsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Categories that alert; an answer alerts when its category is listed or its score is at most scoreAtMost. */
    categories: z
      .object({
        detractor: z.boolean().default(true),
        passive: z.boolean().default(false),
        promoter: z.boolean().default(false),
      })
      .strict()
      .default({ detractor: true, passive: false, promoter: false }),
    scoreAtMost: z.number().int().min(0).max(10).optional(),
    /** Email the contact owner (else followUps.defaultOwnerId). */
    ownerEmail: z.boolean().default(true),
    ownerEmailDelivery: z.enum(['immediate', 'digest']).default('immediate'),
    webhookDelivery: z.enum(['immediate', 'digest']).default('immediate'),
  })
  .strict()
  .default({
    enabled: false,
    categories: { detractor: true, passive: false, promoter: false },
    ownerEmail: true,
    ownerEmailDelivery: 'immediate',
    webhookDelivery: 'immediate',
  });
/** eNPS (src/enps): who is asked, how often, the words, and the smallest group results are shown for. */
const enpsWording = z
  .object({
    question: z.string().min(1).max(300).optional(),
    whyQuestion: z.string().min(1).max(300).optional(),
  })
  .strict();
export const enpsSettings = z
  .object({
    enabled: z.boolean().default(false),
    cadence: z.enum(['monthly', 'quarterly', 'half-yearly', 'yearly', 'manual']).default('quarterly'),
    openDays: z.number().int().min(2).max(60).default(14),
    reminderAfterDays: z.number().int().min(1).max(59).default(7),
    minGroupSize: z.number().int().min(3, 'never below 3').max(1000).default(5),
    includeHubSpotUsers: z.boolean().default(true),
    /** HubSpot team id → asked; none chosen asks every active user. */
    teams: z.record(z.string().regex(/^\d+$/, 'a HubSpot team id'), z.boolean()).default({}),
    breakdown: z.enum(['team', 'tenure', 'location']).default('team'),
    senderName: z.string().min(1).max(100).optional(),
    senderEmail: z.email().optional(),
    wording: z.partialRecord(z.enum(LANGUAGES), enpsWording).default({}),
    tvTile: z.boolean().default(false),
  })
  .strict();
/** Custom segment dimensions: a contact or primary-company property of the portal (see src/segments). */
export const MAX_CUSTOM_DIMENSIONS = 5;
export const segmentDimensionSchema = z
  .object({
    object: z.enum(['contact', 'company'], { error: 'use contact or company' }),
    property: z.string().regex(/^[a-z][a-z0-9_]{0,99}$/, 'a HubSpot property name (lowercase letters, digits, "_")'),
    label: z.string().trim().min(1).max(100).optional(),
    /** Number properties: band boundaries, ascending (e.g. [10, 50] gives under 10, 10 to under 50, 50 or more). */
    bands: z
      .array(z.number().finite())
      .min(1)
      .max(10)
      .refine((b) => b.every((v, i) => i === 0 || v > b[i - 1]!), 'bands must be ascending')
      .optional(),
  })
  .strict();
export const segmentsSchema = z
  .object({
    dimensions: z
      .array(segmentDimensionSchema)
      .max(MAX_CUSTOM_DIMENSIONS, `at most ${MAX_CUSTOM_DIMENSIONS} custom dimensions`)
      .refine(
        (ds) => new Set(ds.map((d) => `${d.object}.${d.property}`)).size === ds.length,
        'each property can be a dimension once',
      )
      .default([]),
  })
  .strict()
  .default({ dimensions: [] });

/** A web app's origin ("https://app.example.com"): http(s), no path, query or fragment; stored as the bare origin. */
const webOrigin = z
  .string()
  .trim()
  .max(300)
  .refine((v) => {
    try {
      const u = new URL(v);
      return /^https?:$/.test(u.protocol) && (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'use an origin like https://app.example.com (no path)')
  .transform((v) => new URL(v).origin);

/** The in-app web survey (src/web-survey): where the widget may run, and what it does. */
export const webSurveySchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Origins allowed to call the widget API (CORS); a list, or one per line / comma-separated as a form sends it. */
    allowedOrigins: z
      .preprocess(
        (v) => (typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : v),
        z
          .array(webOrigin)
          .max(20)
          .transform((list) => [...new Set(list)]),
      )
      .default([]),
    /** Ask any signed-in contact whose quiet period has passed, besides web invitations from rules. */
    askOnVisit: z.boolean().default(false),
    /** How long a dismissed widget stays away. Dismissing never restarts the quiet period. */
    snoozeDays: z.number().int().min(1).max(365).default(14),
  })
  .strict()
  .default({ enabled: false, allowedOrigins: [], askOnVisit: false, snoozeDays: 14 });
