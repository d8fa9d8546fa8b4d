import { describe, expect, it } from 'vitest';
import {
  composeSms,
  replyKeyword,
  scoreFromReply,
  SHORT_CODE_LENGTH,
  shortCode,
  shortLink,
  SMS_BRAND_MAX,
} from '../../src/sms/message';
import { countSegments } from '../../src/sms/segments';
import { CATALOGUES, SURVEY_LANGUAGES } from '../../src/surveys/i18n';

// Every catalogue's survey text must fit one SMS segment in the worst case: the longest brand the text keeps,
// every optional sentence (reply with a number, STOP wording) and a link on a 40-character PUBLIC_BASE_URL.
const WORST_BASE_URL = `https://${'n'.repeat(32)}`; // 40 characters
const WORST_LINK = shortLink(WORST_BASE_URL, 'A'.repeat(SHORT_CODE_LENGTH));
const WORST_BRAND = 'W'.repeat(SMS_BRAND_MAX + 15);

describe('survey SMS texts', () => {
  it('use a 55-character link in the worst case', () => {
    expect(WORST_LINK).toHaveLength(55);
  });

  for (const lang of SURVEY_LANGUAGES) {
    for (const kind of ['invitation', 'reminder'] as const) {
      it(`${lang} ${kind}: one segment with every optional sentence and the worst-case link`, () => {
        const text = composeSms({
          lang,
          kind,
          brand: WORST_BRAND,
          link: WORST_LINK,
          replyWithNumber: true,
          stopWording: true,
        });
        const count = countSegments(text);
        expect(count.segments, `${count.units}/${count.singleLimit} ${count.encoding}: ${text}`).toBe(1);
        expect(text).toContain(WORST_LINK);
      });
    }
    it(`${lang}: the catalogue has every SMS text`, () => {
      for (const key of ['sms.invitation', 'sms.reminder', 'sms.replyNumber', 'sms.stop', 'sms.thanks'] as const)
        expect(CATALOGUES[lang][key], key).toBeTruthy();
    });
  }

  it('says STOP only where asked, and offers the number reply only where the rule takes it', () => {
    const base = { lang: 'en' as const, kind: 'invitation' as const, brand: 'Acme', link: 'https://x.test/t/abc' };
    const plain = composeSms({ ...base, replyWithNumber: false, stopWording: false });
    expect(plain).toBe('Acme: How likely are you to recommend us? Answer: https://x.test/t/abc');
    const full = composeSms({ ...base, replyWithNumber: true, stopWording: true });
    expect(full).toBe(`${plain} Or reply 0-10. Reply STOP to opt out.`);
  });

  it('keeps the first characters of a long brand', () => {
    const text = composeSms({
      lang: 'da',
      kind: 'reminder',
      brand: 'Nordisk Kaffe & Te Kompagni ApS',
      link: 'L',
      replyWithNumber: false,
      stopWording: false,
    });
    expect(text.startsWith('Nordisk Kaffe & Te K:')).toBe(true);
  });
});

describe('countSegments', () => {
  it('counts GSM-7 septets, extension characters twice', () => {
    expect(countSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(countSegments('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(countSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('æøåÆØÅäöüß')).toMatchObject({ encoding: 'GSM-7', units: 10 });
  });

  it('falls back to UCS-2 (70 per segment) for other characters', () => {
    expect(countSegments('ł'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(countSegments('ł'.repeat(71))).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(countSegments(`${'a'.repeat(60)}😀`)).toMatchObject({ encoding: 'UCS-2', units: 62 });
  });
});

describe('replies', () => {
  it.each([
    ['7', 7],
    [' 10 ', 10],
    ['0', 0],
    ['9.', 9],
    ['11', null],
    ['7 out of 10', null],
    ['-1', null],
    ['', null],
  ])('%j as a score is %s', (body, score) => {
    expect(scoreFromReply(body)).toBe(score);
  });

  it.each([
    ['STOP', 'opt_out'],
    ['stop', 'opt_out'],
    [' Unsubscribe. ', 'opt_out'],
    ['START', 'opt_in'],
    ['unstop', 'opt_in'],
    ['stop it please', null],
    ['8', null],
  ])('%j is %s', (body, keyword) => {
    expect(replyKeyword(body)).toBe(keyword);
  });
});

describe('short link codes', () => {
  const id = '7b0f5d7e-1111-4222-8333-944445555666';
  it('are deterministic per invitation and key, url-safe, and differ between invitations and keys', () => {
    const code = shortCode('key-one-0123456789', id);
    expect(code).toMatch(new RegExp(`^[A-Za-z0-9_-]{${SHORT_CODE_LENGTH}}$`));
    expect(shortCode('key-one-0123456789', id.toUpperCase())).toBe(code);
    expect(shortCode('key-two-0123456789', id)).not.toBe(code);
    expect(shortCode('key-one-0123456789', id.replace('7b0f', '7b0e'))).not.toBe(code);
  });
});
