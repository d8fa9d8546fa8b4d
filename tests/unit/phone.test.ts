import { describe, expect, it } from 'vitest';
import { needsStopWording, normalisePhone } from '../../src/shared/phone';

describe('normalisePhone (E.164)', () => {
  it.each<[string, Array<string | null>, { contactCountry?: string | null; defaultCountry?: string | null }, unknown]>([
    ['an international number as written', ['+45 20 12 34 56'], {}, { ok: true, e164: '+4520123456', country: 'DK' }],
    ['00 as the international prefix', ['0046 70 123 45 67'], {}, { ok: true, e164: '+46701234567', country: 'SE' }],
    [
      'a national number in the contact’s country',
      ['(415) 555-2671'],
      { contactCountry: 'us' },
      { ok: true, e164: '+14155552671', country: 'US' },
    ],
    [
      'a national number in the portal’s default country',
      ['030 1234567'],
      { defaultCountry: 'DE' },
      { ok: true, e164: '+49301234567', country: 'DE' },
    ],
    [
      'the contact’s country before the default',
      ['20 12 34 56'],
      { contactCountry: 'DK', defaultCountry: 'US' },
      { ok: true, e164: '+4520123456', country: 'DK' },
    ],
    [
      'a country name that is not a code is ignored',
      ['20 12 34 56'],
      { contactCountry: 'Denmark', defaultCountry: 'DK' },
      { ok: true, e164: '+4520123456', country: 'DK' },
    ],
    [
      'mobile first, the main number when mobile is unusable',
      ['not a number', '+44 20 7946 0958'],
      {},
      { ok: true, e164: '+442079460958', country: 'GB' },
    ],
    ['no number at all', [null, '  '], {}, { ok: false, reason: 'no_phone' }],
    ['a national number with no country to read it in', ['20 12 34 56'], {}, { ok: false, reason: 'invalid_phone' }],
    ['letters', ['call me maybe'], { defaultCountry: 'DK' }, { ok: false, reason: 'invalid_phone' }],
    ['too short to be valid', ['+45 123'], {}, { ok: false, reason: 'invalid_phone' }],
  ])('%s', (_name, numbers, opts, expected) => {
    expect(normalisePhone(numbers, opts)).toEqual(expected);
  });

  it('asks for STOP wording in the US and Canada only', () => {
    expect(needsStopWording('US')).toBe(true);
    expect(needsStopWording('CA')).toBe(true);
    expect(needsStopWording('DK')).toBe(false);
    expect(needsStopWording(null)).toBe(false);
  });
});
