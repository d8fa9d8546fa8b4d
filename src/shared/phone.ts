import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

// Phone numbers as HubSpot holds them (free text: "+45 12 34 56 78", "(415) 555-0100", "0044 20 7946 0958")
// made into E.164 for texts. Pure.

export type PhoneCheck =
  { ok: true; e164: string; country: string | null } | { ok: false; reason: 'no_phone' | 'invalid_phone' };

/** An ISO 3166 alpha-2 code the phone library knows, from a HubSpot country value ("DK", "dk"); else undefined. */
function countryCode(value: string | null | undefined): CountryCode | undefined {
  const v = value?.trim().toUpperCase();
  return v && /^[A-Z]{2}$/.test(v) && isSupportedCountry(v) ? v : undefined;
}

/**
 * The first usable number of `numbers` (mobile first) in E.164. A number without a country code is read in the
 * contact's country, else the portal's default country. `no_phone` when there is none at all, `invalid_phone`
 * when there is one but it is not a valid number.
 */
export function normalisePhone(
  numbers: Array<string | null | undefined>,
  opts: { contactCountry?: string | null; defaultCountry?: string | null } = {},
): PhoneCheck {
  const country = countryCode(opts.contactCountry) ?? countryCode(opts.defaultCountry);
  const given = numbers.map((n) => n?.trim() ?? '').filter((n) => n !== '');
  if (given.length === 0) return { ok: false, reason: 'no_phone' };
  for (const raw of given) {
    if (raw.length > 40) continue;
    // "00" is the international prefix in most of the world: read it as "+".
    const text = raw.startsWith('00') ? `+${raw.slice(2)}` : raw;
    const parsed = parsePhoneNumberFromString(text, country);
    if (parsed?.isValid()) return { ok: true, e164: parsed.number, country: parsed.country ?? null };
  }
  return { ok: false, reason: 'invalid_phone' };
}

/** Countries where a survey text must say how to stop texts (carrier rules for application-to-person messages). */
const STOP_WORDING_COUNTRIES = new Set(['US', 'CA']);

export function needsStopWording(country: string | null): boolean {
  return country !== null && STOP_WORDING_COUNTRIES.has(country);
}
