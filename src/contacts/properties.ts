import { z } from 'zod';
import type { CrmObject } from '../hubspot';
import { storableText } from '../shared';

// What NPS Loop mirrors of a HubSpot contact and its primary company, and how HubSpot's string-valued
// properties become typed rows. Pure: a value HubSpot sends in an unexpected shape becomes null rather than
// failing the whole page, because one odd record must not stop a sync of thousands.

export const CONTACT_PROPERTIES = [
  'email',
  'firstname',
  'lastname',
  'hs_language',
  'hubspot_owner_id',
  'associatedcompanyid',
  'lifecyclestage',
  'createdate',
  'hs_lifecyclestage_customer_date',
  'hs_email_optout',
  // HubSpot's own record of a dead address: any hard bounce reason, or "invalid email address".
  'hs_email_hard_bounce_reason_enum',
  'hs_email_bad_address',
  // For survey texts (src/sms): mobile first, else the main number; the country helps read national numbers.
  'mobilephone',
  'phone',
  'country',
  'lastmodifieddate',
] as const;

/** Properties whose change events we subscribe to (HubSpot cannot send events for lastmodifieddate/createdate). */
export const WATCHED_CONTACT_PROPERTIES: readonly string[] = CONTACT_PROPERTIES.filter(
  (p) => p !== 'lastmodifieddate' && p !== 'createdate',
);

export const COMPANY_PROPERTIES = ['name', 'domain', 'industry', 'hubspot_owner_id'] as const;

export interface ContactRecord {
  contactId: string;
  email: string | null;
  firstname: string | null;
  lastname: string | null;
  language: string | null;
  ownerId: string | null;
  companyId: string | null;
  lifecycleStage: string | null;
  createdAt: Date | null;
  customerSince: Date | null;
  optedOut: boolean;
  /** HubSpot records a hard bounce or an invalid address: no survey is sent to it. */
  bounced: boolean;
  /** HubSpot's lastmodifieddate: an older state never overwrites a newer one. */
  updatedAt: Date | null;
  /** As HubSpot holds them (free text); normalised to E.164 only when a text is sent. */
  mobilephone?: string | null;
  phone?: string | null;
  country?: string | null;
}

export interface CompanyRecord {
  companyId: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
  ownerId: string | null;
}

const numericId = /^\d{1,18}$/;
const text = (max: number) => z.string().trim().min(1).max(max).nullable().catch(null);
const contactProps = z
  .object({
    email: z.string().trim().toLowerCase().pipe(z.email()).nullable().catch(null),
    firstname: text(200),
    lastname: text(200),
    hs_language: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/)
      .nullable()
      .catch(null),
    hubspot_owner_id: z.string().regex(numericId).nullable().catch(null),
    associatedcompanyid: z.string().regex(numericId).nullable().catch(null),
    lifecyclestage: text(100),
    hs_email_optout: z.string().nullable().catch(null),
    hs_email_hard_bounce_reason_enum: z.string().trim().nullable().catch(null),
    hs_email_bad_address: z.string().nullable().catch(null),
    mobilephone: text(40),
    phone: text(40),
    country: text(100),
  })
  .partial();

const companyProps = z
  .object({
    name: text(500),
    domain: text(255),
    industry: text(200),
    hubspot_owner_id: z.string().regex(numericId).nullable().catch(null),
  })
  .partial();

/** HubSpot sends datetimes as ISO strings in v3 and as epoch milliseconds in older places; accept both. */
export function parseHubSpotDate(value: string | null | undefined): Date | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const v = value.trim();
  const d = /^\d{10,16}$/.test(v) ? new Date(Number(v)) : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * HubSpot's property values as PostgreSQL can store them: NUL characters removed, lone surrogates replaced by
 * U+FFFD (a text property may hold either; one such contact must not stop a sync).
 */
function storableProperties(properties: CrmObject['properties'] | undefined): CrmObject['properties'] {
  const out: CrmObject['properties'] = {};
  for (const [key, value] of Object.entries(properties ?? {}))
    out[key] = typeof value === 'string' ? storableText(value) : value;
  return out;
}

/** A contact as we store it; null when the record's id is not a HubSpot id. */
export function toContactRecord(obj: CrmObject): ContactRecord | null {
  if (!numericId.test(obj.id)) return null;
  const raw = storableProperties(obj.properties);
  const p = contactProps.parse(raw);
  return {
    contactId: obj.id,
    email: p.email ?? null,
    firstname: p.firstname ?? null,
    lastname: p.lastname ?? null,
    language: p.hs_language ?? null,
    ownerId: p.hubspot_owner_id ?? null,
    companyId: p.associatedcompanyid ?? null,
    lifecycleStage: p.lifecyclestage ?? null,
    createdAt: parseHubSpotDate(raw.createdate) ?? parseHubSpotDate(obj.createdAt),
    customerSince: parseHubSpotDate(raw.hs_lifecyclestage_customer_date),
    optedOut: p.hs_email_optout === 'true',
    bounced: Boolean(p.hs_email_hard_bounce_reason_enum) || p.hs_email_bad_address === 'true',
    updatedAt: parseHubSpotDate(raw.lastmodifieddate) ?? parseHubSpotDate(obj.updatedAt),
    mobilephone: p.mobilephone ?? null,
    phone: p.phone ?? null,
    country: p.country ?? null,
  };
}

export function toCompanyRecord(obj: CrmObject): CompanyRecord | null {
  if (!numericId.test(obj.id)) return null;
  const p = companyProps.parse(storableProperties(obj.properties));
  return {
    companyId: obj.id,
    name: p.name ?? null,
    domain: p.domain ?? null,
    industry: p.industry ?? null,
    ownerId: p.hubspot_owner_id ?? null,
  };
}
