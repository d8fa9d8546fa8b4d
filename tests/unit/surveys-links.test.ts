import { describe, expect, it } from 'vitest';
import { createSurveyToken, surveyUrl, unsubscribeUrl, verifySurveyToken } from '../../src/core/survey-links';

const KEY = 'survey-signing-key-for-unit-tests';
const NOW = new Date('2026-03-01T12:00:00Z');
const PAYLOAD = {
  portalId: 12345678,
  invitationId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  expiresAt: new Date('2026-03-31T12:00:00Z'),
};
const TOKEN = createSurveyToken(KEY, PAYLOAD);

/** Flips one bit of the decoded token at `index` and re-encodes it. */
function flipByte(token: string, index: number): string {
  const bytes = Buffer.from(token, 'base64url');
  bytes[index] = bytes[index]! ^ 0x01;
  return bytes.toString('base64url');
}

describe('survey link tokens', () => {
  it('round-trips the portal, invitation and expiry', () => {
    expect(verifySurveyToken(KEY, TOKEN, NOW)).toEqual({ ok: true, payload: PAYLOAD });
  });

  it('is compact, URL-safe and carries no email address or readable ids', () => {
    expect(TOKEN).toMatch(/^[A-Za-z0-9_-]{60}$/);
    expect(TOKEN).not.toContain('@');
    expect(Buffer.from(TOKEN, 'base64url').toString('latin1')).not.toContain('12345678');
  });

  it('is deterministic, so a resent email carries the same link', () => {
    expect(createSurveyToken(KEY, PAYLOAD)).toBe(TOKEN);
  });

  it.each([
    ['a tampered portal id', flipByte(TOKEN, 8), 'tampered'],
    ['a tampered invitation id', flipByte(TOKEN, 20), 'tampered'],
    ['a tampered expiry', flipByte(TOKEN, 28), 'tampered'],
    ['a tampered signature', flipByte(TOKEN, 40), 'tampered'],
    ['a token signed with another key', createSurveyToken('another-signing-key-0123456789', PAYLOAD), 'tampered'],
    ['a truncated token', TOKEN.slice(0, 50), 'invalid'],
    ['a token with one character cut off', TOKEN.slice(0, -1), 'invalid'],
    ['a token with extra characters', `${TOKEN}AA`, 'invalid'],
    ['an unknown version', flipByte(TOKEN, 0), 'invalid'],
    ['characters outside base64url', `${TOKEN.slice(0, 59)}+`, 'invalid'],
    ['an empty token', '', 'invalid'],
    ['a very long token', 'A'.repeat(5000), 'invalid'],
  ])('rejects %s as %s', (_what, token, reason) => {
    const check = verifySurveyToken(KEY, token, NOW);
    expect(check).toEqual({ ok: false, reason });
  });

  it.each([
    ['one second before expiry', new Date('2026-03-31T11:59:59Z'), true],
    ['at the expiry instant', new Date('2026-03-31T12:00:00Z'), false],
    ['a day after expiry', new Date('2026-04-01T12:00:00Z'), false],
  ])('checks expiry %s', (_what, now, valid) => {
    const check = verifySurveyToken(KEY, TOKEN, now);
    expect(check.ok).toBe(valid);
    if (!check.ok) expect(check).toEqual({ ok: false, reason: 'expired', payload: PAYLOAD });
  });

  it('drops milliseconds from the expiry', () => {
    const token = createSurveyToken(KEY, { ...PAYLOAD, expiresAt: new Date('2026-03-31T12:00:00.999Z') });
    expect(token).toBe(TOKEN);
  });

  it.each([
    ['a non-uuid invitation id', { ...PAYLOAD, invitationId: 'inv-1' }],
    ['a zero portal id', { ...PAYLOAD, portalId: 0 }],
    ['an invalid date', { ...PAYLOAD, expiresAt: new Date('nope') }],
  ])('refuses to sign %s', (_what, payload) => {
    expect(() => createSurveyToken(KEY, payload)).toThrow(RangeError);
  });
});

describe('survey URLs', () => {
  const config = { publicBaseUrl: 'https://nps.example.com', surveySigningKey: KEY };

  it('points at /s/:token on the public base URL', () => {
    expect(surveyUrl(config, PAYLOAD)).toBe(`https://nps.example.com/s/${TOKEN}`);
  });

  it.each([0, 7, 10])('preselects score %i', (score) => {
    expect(surveyUrl(config, PAYLOAD, score)).toBe(`https://nps.example.com/s/${TOKEN}?score=${score}`);
  });

  it('has an unsubscribe page under the same token', () => {
    expect(unsubscribeUrl(config, PAYLOAD)).toBe(`https://nps.example.com/s/${TOKEN}/unsubscribe`);
  });
});
