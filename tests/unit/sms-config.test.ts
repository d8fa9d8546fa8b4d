import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env';

// Twilio settings are optional as a whole, but complete when given: a message names each missing or bad variable.

const VALID = {
  SURVEY_SIGNING_KEY: 'survey-signing-key-0123456789',
  ENCRYPTION_KEY: 'encryption-key-0123456789',
  HUBSPOT_CLIENT_SECRET: 'client-secret-0123456789',
  HUBSPOT_ACCESS_TOKEN: 'pat-na1-token',
  HUBSPOT_PORTAL_ID: '1001',
};
const SID = `AC${'a'.repeat(32)}`;

function problemsOf(env: Record<string, string | undefined>): string {
  try {
    loadConfig({ ...VALID, ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('configuration was accepted');
}

describe('Twilio configuration', () => {
  it('is absent when no Twilio variable is set (empty values count as unset)', () => {
    expect(loadConfig(VALID).twilio).toBeUndefined();
    expect(loadConfig({ ...VALID, TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: ' ' }).twilio).toBeUndefined();
  });

  it('takes a sender number or a messaging service, and a stand-in base URL without its trailing slash', () => {
    expect(
      loadConfig({
        ...VALID,
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: 'token',
        TWILIO_FROM: '+4512345678',
        TWILIO_API_BASE_URL: 'http://127.0.0.1:4020/',
      }).twilio,
    ).toEqual({
      accountSid: SID,
      authToken: 'token',
      from: '+4512345678',
      messagingServiceSid: undefined,
      apiBaseUrl: 'http://127.0.0.1:4020',
    });
    const service = `MG${'b'.repeat(32)}`;
    expect(
      loadConfig({ ...VALID, TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't', TWILIO_MESSAGING_SERVICE_SID: service })
        .twilio?.messagingServiceSid,
    ).toBe(service);
  });

  it.each([
    [{ TWILIO_ACCOUNT_SID: SID, TWILIO_FROM: '+4512345678' }, 'TWILIO_AUTH_TOKEN is required'],
    [{ TWILIO_AUTH_TOKEN: 'token', TWILIO_FROM: '+4512345678' }, 'TWILIO_ACCOUNT_SID is required'],
    [
      { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'token' },
      'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required',
    ],
    [
      { TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+4512345678' },
      'TWILIO_ACCOUNT_SID must look like',
    ],
    [
      { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '45 12 34 56 78' },
      'TWILIO_FROM must be an E.164',
    ],
    [
      { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+4512345678', TWILIO_API_BASE_URL: 'stand-in' },
      'TWILIO_API_BASE_URL must be an absolute URL',
    ],
  ])('refuses %j', (env, message) => {
    expect(problemsOf(env)).toContain(message);
  });
});
