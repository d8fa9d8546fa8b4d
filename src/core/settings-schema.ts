import { z } from 'zod';
import { BENCHMARK_KEYS } from '../benchmarks';
import { LANGUAGES } from './languages';
import {
  MAX_CUSTOM_DIMENSIONS,
  alertsSchema,
  enpsSettings,
  type segmentDimensionSchema,
  segmentsSchema,
  webSurveySchema,
} from './settings-feature-schemas';

// Per-portal settings: triggers, fatigue, delivery, follow-ups and insights. Stored as JSON on the portal row,
// seeded from NPS_SETTINGS_FILE, edited through the settings API. Every field has a default, so `{}` is valid.

export { LANGUAGES, MAX_CUSTOM_DIMENSIONS };

/** Links shown to people (review page, logo): http and https only, never javascript: or data:. */
const webUrl = z.url({ protocol: /^https?$/, error: 'use an http:// or https:// address' });

/** Texts an admin may word per language; each falls back to the built-in catalogue (src/surveys/i18n). */
export const WORDING_KEYS = ['question', 'reasonQuestion', 'emailSubject', 'emailIntro', 'thankYou'] as const;
export type WordingKey = (typeof WORDING_KEYS)[number];

/** A review site the promoter thank-you page links to (through our tracked redirect): https only. */
const reviewSite = z
  .object({
    name: z.string().trim().min(1).max(40),
    url: z.url({ protocol: /^https$/, error: 'use an https:// address' }),
  })
  .strict();

/** A settings form leaves unused site rows blank (or holes in the list): those are no site at all. */
function dropBlankSites(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  const blank = (x: unknown) =>
    x === null ||
    x === undefined ||
    (typeof x === 'object' && Object.values(x as object).every((f) => f === undefined || f === null || f === ''));
  return Array.from(v, (x: unknown) => x).filter((x) => !blank(x));
}

/** What the thank-you page and the optional thank-you email add after an answer (the review ask, the referral question). */
const thankYouSettings = z
  .object({
    reviewSites: z.preprocess(dropBlankSites, z.array(reviewSite).max(3, 'at most three review sites')).default([]),
    email: z.boolean().default(false),
    referralQuestion: z.boolean().default(false),
  })
  .strict()
  .default({ reviewSites: [], email: false, referralQuestion: false });

const text = (max: number) => z.string().trim().min(1).max(max).optional();
const languageWording = z
  .object({
    question: text(300),
    reasonQuestion: text(300),
    emailSubject: text(200),
    emailIntro: text(1000),
    thankYou: text(1000),
  })
  .strict();
export type LanguageWording = z.output<typeof languageWording>;

/** Portal-wide wording per language: { da: { question: '…' } }. */
const portalWording = z
  .object(
    Object.fromEntries(LANGUAGES.map((l) => [l, languageWording.optional()])) as Record<
      (typeof LANGUAGES)[number],
      z.ZodOptional<typeof languageWording>
    >,
  )
  .strict()
  .default({});

const ruleLanguageWording = z
  .object({ question: text(300), followUpQuestion: text(300) })
  .strict()
  .optional();

/** A rule's wording: one text for every language (the original shape) and/or per language ({ da: {...} }). */
const wording = z
  .object({
    question: z.string().min(1).max(300).optional(),
    followUpQuestion: z.string().min(1).max(300).optional(),
    en: ruleLanguageWording,
    da: ruleLanguageWording,
    sv: ruleLanguageWording,
    de: ruleLanguageWording,
  })
  .strict()
  .default({});

/** The offered languages: a list, or "en, da" as a form sends it; duplicates are dropped. */
const languages = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(/[\s,]+/)
          .map((x) => x.trim().toLowerCase())
          .filter(Boolean)
      : v,
  z
    .array(z.enum(LANGUAGES, { error: 'use en, da, sv or de' }))
    .min(1)
    .max(LANGUAGES.length)
    .transform((list) => [...new Set(list)]),
);

/** The ways a survey reaches a person. `web` is shown by the in-app widget the next time the person is seen. */
export const CHANNELS = ['email', 'sms', 'web', 'hubspot'] as const;
export type Channel = (typeof CHANNELS)[number];

/** One channel, or an ordered fallback list (["sms", "email"]: a text if the contact can get one, else email). */
// A form (or a hand-written file) may give a fallback list as "sms, email".
const channelChoice = z.preprocess(
  (v) => (typeof v === 'string' && v.includes(',') ? v.split(',').map((c) => c.trim()) : v),
  z.union([
    z.enum(CHANNELS, { error: 'use email, sms, web or hubspot' }),
    z
      .array(z.enum(CHANNELS, { error: 'use email, sms, web or hubspot' }))
      .min(1)
      .max(CHANNELS.length)
      .refine((list) => new Set(list).size === list.length, { error: 'list each channel once' }),
  ]),
);
export type ChannelChoice = z.output<typeof channelChoice>;

/** The channels of a choice, in order of preference. */
export function channelList(choice: ChannelChoice): Channel[] {
  return typeof choice === 'string' ? [choice] : [...choice];
}

/** Days a dismissed in-app survey stays away (a rule's own value; the portal's is webSurvey.snoozeDays). */
const webSnoozeDays = z
  .number({ error: 'enter a whole number of days' })
  .int('enter a whole number of days')
  .min(1, 'at least 1 day')
  .max(365, 'at most 365 days');

const triggerRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use lowercase letters, digits, "-" or "_"'),
    enabled: z.boolean().default(true),
    objectType: z.enum(['deal', 'ticket']),
    /** Pipeline id, or "*" for any pipeline. */
    pipelineId: z.string().min(1).default('*'),
    stageId: z.string().min(1),
    delayHours: z
      .number()
      .min(0)
      .max(24 * 90)
      .default(24),
    channel: channelChoice.default('email'),
    /** SMS: a reply that is just a number 0–10 is taken as the answer. */
    replyWithNumber: z.boolean().optional(),
    /** In-app widget: days a dismissal of this rule's survey keeps the widget away; else webSurvey.snoozeDays. */
    webSnoozeDays: webSnoozeDays.optional(),
    wording,
  })
  .strict();

const followUpRule = (priority: 'HIGH' | 'MEDIUM' | 'LOW', type: 'CALL' | 'TODO', dueBusinessDays: number) =>
  z
    .object({
      enabled: z.boolean().default(true),
      priority: z.enum(['HIGH', 'MEDIUM', 'LOW']).default(priority),
      taskType: z.enum(['CALL', 'TODO', 'EMAIL']).default(type),
      dueBusinessDays: z.number().int().min(0).max(60).default(dueBusinessDays),
    })
    .strict()
    .default({ enabled: true, priority, taskType: type, dueBusinessDays });

export const settingsSchema = z
  .object({
    brand: z
      .object({
        name: z.string().min(1).max(100).default('NPS Loop'),
        senderName: z.string().min(1).max(100).optional(),
        senderEmail: z.email().optional(),
        color: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/, 'use a hex colour like #1f6feb')
          .default('#1f5fbf'),
        logoUrl: webUrl.optional(),
      })
      .strict()
      .default({ name: 'NPS Loop', color: '#1f5fbf' }),
    defaultLanguage: z.enum(LANGUAGES).default('en'),
    /** Languages surveys are offered in; absent means the default language only. */
    languages: languages.optional(),
    wording: portalWording,
    thankYou: thankYouSettings,
    quietPeriodDays: z.number().int().min(0).max(730).default(90),
    linkExpiryDays: z.number().int().min(1).max(365).default(30),
    reminderAfterDays: z.number().int().min(1).max(60).default(3),
    remindersEnabled: z.boolean().default(true),
    answerExpiryMonths: z.number().int().min(1).max(60).default(12),
    triggers: z
      .array(triggerRuleSchema)
      .max(50)
      .default([
        {
          id: 'deal-closed-won',
          enabled: true,
          objectType: 'deal',
          pipelineId: '*',
          stageId: 'closedwon',
          delayHours: 24,
          channel: 'email',
          wording: {},
        },
        {
          id: 'ticket-closed',
          enabled: true,
          objectType: 'ticket',
          pipelineId: '0',
          stageId: '4',
          delayHours: 24,
          channel: 'email',
          wording: {},
        },
      ]),
    relationship: z
      .object({
        enabled: z.boolean().default(false),
        everyDays: z.number().int().min(30).max(730).default(180),
        lifecycleStage: z.string().min(1).default('customer'),
        channel: channelChoice.default('email'),
        replyWithNumber: z.boolean().optional(),
        webSnoozeDays: webSnoozeDays.optional(),
      })
      .strict()
      .default({ enabled: false, everyDays: 180, lifecycleStage: 'customer', channel: 'email' }),
    followUps: z
      .object({
        detractor: followUpRule('HIGH', 'CALL', 1),
        passive: followUpRule('MEDIUM', 'TODO', 3),
        promoter: followUpRule('LOW', 'TODO', 5),
        reviewUrl: webUrl.optional(),
        defaultOwnerId: z.string().regex(/^\d+$/, 'a HubSpot owner id').optional(),
      })
      .strict()
      .default({
        detractor: { enabled: true, priority: 'HIGH', taskType: 'CALL', dueBusinessDays: 1 },
        passive: { enabled: true, priority: 'MEDIUM', taskType: 'TODO', dueBusinessDays: 3 },
        promoter: { enabled: true, priority: 'LOW', taskType: 'TODO', dueBusinessDays: 5 },
      }),
    insights: z
      .object({
        target: z.number().min(-100).max(100).default(50),
        minAnswers: z.number().int().min(1).max(1000).default(30),
        /** The industry whose published NPS the dashboard compares with (src/benchmarks); none when unset. */
        benchmarkIndustry: z.enum(BENCHMARK_KEYS, { error: 'pick an industry from the benchmark list' }).optional(),
      })
      .strict()
      .default({ target: 50, minAnswers: 30 }),
    alerts: alertsSchema,
    enps: enpsSettings.prefault({}),
    segments: segmentsSchema,
    webSurvey: webSurveySchema,
    /** Survey texts (src/sms). */
    sms: z
      .object({
        /** Country (ISO 3166 alpha-2) for phone numbers written without +country code, when the contact has none. */
        defaultCountry: z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^[A-Z]{2}$/, 'use a two-letter country code such as DK or US')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;
export type TriggerRule = z.output<typeof triggerRuleSchema>;
export type AlertSettings = z.output<typeof alertsSchema>;
export type SegmentDimensionSetting = z.output<typeof segmentDimensionSchema>;

/** Settings for a portal that has none stored: every default. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}

/** A file seeding every portal, or a map of portal id → settings ({"*": ..., "12345": ...}). */
export const settingsFileSchema = z.union([
  z.object({ portals: z.record(z.string().regex(/^(\*|\d+)$/, 'a portal id or "*"'), settingsSchema) }).strict(),
  settingsSchema,
]);
