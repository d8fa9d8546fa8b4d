import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env';
import { spawnTs } from '../helpers/child';

// The environment is checked once at start-up: a missing or bad value stops the process with a message that
// names the variable, and everything optional gets its documented default.

const VALID = {
  SURVEY_SIGNING_KEY: 'survey-signing-key-0123456789',
  ENCRYPTION_KEY: 'encryption-key-0123456789',
  HUBSPOT_CLIENT_SECRET: 'client-secret-0123456789',
  HUBSPOT_ACCESS_TOKEN: 'pat-na1-token',
  HUBSPOT_PORTAL_ID: '1001',
};

function problemsOf(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('configuration was accepted');
}

describe('start-up configuration', () => {
  it.each([
    {
      case: 'SURVEY_SIGNING_KEY missing',
      env: { SURVEY_SIGNING_KEY: undefined },
      names: 'SURVEY_SIGNING_KEY is required',
    },
    {
      case: 'ENCRYPTION_KEY too short',
      env: { ENCRYPTION_KEY: 'short' },
      names: 'ENCRYPTION_KEY must be at least 16 characters',
    },
    { case: 'PORT=abc', env: { PORT: 'abc' }, names: 'PORT' },
    { case: 'PORT out of range', env: { PORT: '70000' }, names: 'PORT' },
    {
      case: 'HUBSPOT_PORTAL_ID non-numeric',
      env: { HUBSPOT_PORTAL_ID: 'acme' },
      names: 'HUBSPOT_PORTAL_ID must be a numeric HubSpot account id',
    },
    {
      case: 'access token without portal id',
      env: { HUBSPOT_PORTAL_ID: undefined },
      names: 'HUBSPOT_PORTAL_ID is required in single-portal mode',
    },
    {
      case: 'OAuth mode without redirect URI',
      env: { HUBSPOT_ACCESS_TOKEN: undefined, HUBSPOT_PORTAL_ID: undefined, HUBSPOT_CLIENT_ID: 'client-1' },
      names: 'HUBSPOT_REDIRECT_URI is required in OAuth mode',
    },
    {
      case: 'OAuth redirect URI not a URL',
      env: { HUBSPOT_CLIENT_ID: 'client-1', HUBSPOT_REDIRECT_URI: 'callback' },
      names: 'HUBSPOT_REDIRECT_URI must be an absolute URL',
    },
    {
      case: 'no HubSpot mode at all',
      env: { HUBSPOT_ACCESS_TOKEN: undefined, HUBSPOT_PORTAL_ID: undefined },
      names: 'no HubSpot connection configured: set HUBSPOT_ACCESS_TOKEN + HUBSPOT_PORTAL_ID',
    },
    {
      case: 'client secret missing',
      env: { HUBSPOT_CLIENT_SECRET: undefined },
      names: 'HUBSPOT_CLIENT_SECRET is required',
    },
    {
      case: 'API base URL not a URL',
      env: { HUBSPOT_API_BASE_URL: 'api.hubapi.com' },
      names: 'HUBSPOT_API_BASE_URL must be an absolute URL',
    },
    { case: 'unknown LOG_LEVEL', env: { LOG_LEVEL: 'loud' }, names: 'LOG_LEVEL' },
  ])('$case stops start-up naming the variable', ({ env, names }) => {
    expect(problemsOf({ ...VALID, ...env })).toContain(names);
  });

  it('lists every problem at once', () => {
    const message = problemsOf({ ...VALID, PORT: 'abc', SURVEY_SIGNING_KEY: undefined });
    expect(message).toContain('PORT');
    expect(message).toContain('SURVEY_SIGNING_KEY');
  });

  it('applies the documented defaults', () => {
    const config = loadConfig(VALID);
    expect(config).toMatchObject({
      port: 3000,
      publicBaseUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: './.data',
      mailFrom: 'NPS Loop <nps@localhost>',
      logLevel: 'info',
      runWorkers: true,
      hubspot: {
        apiBaseUrl: 'https://api.hubapi.com',
        authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
        staticPortal: { portalId: 1001, accessToken: 'pat-na1-token' },
        oauth: undefined,
      },
    });
  });

  it('derives the public URL from PORT and trims trailing slashes from URLs', () => {
    expect(loadConfig({ ...VALID, PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
    const config = loadConfig({
      ...VALID,
      PUBLIC_BASE_URL: 'https://nps.example.com/',
      HUBSPOT_API_BASE_URL: 'http://127.0.0.1:4000/',
    });
    expect(config.publicBaseUrl).toBe('https://nps.example.com');
    expect(config.hubspot.apiBaseUrl).toBe('http://127.0.0.1:4000');
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ ...VALID, DATABASE_URL: '  ', SMTP_URL: '' })).toMatchObject({
      databaseUrl: undefined,
      smtpUrl: undefined,
    });
  });

  it('reads OAuth mode with the client secret shared for signatures', () => {
    const config = loadConfig({
      ...VALID,
      HUBSPOT_ACCESS_TOKEN: undefined,
      HUBSPOT_PORTAL_ID: undefined,
      HUBSPOT_CLIENT_ID: 'client-1',
      HUBSPOT_REDIRECT_URI: 'https://nps.example.com/oauth/callback',
    });
    expect(config.hubspot.staticPortal).toBeUndefined();
    expect(config.hubspot.oauth).toEqual({
      clientId: 'client-1',
      clientSecret: VALID.HUBSPOT_CLIENT_SECRET,
      redirectUri: 'https://nps.example.com/oauth/callback',
    });
  });
});

describe('the real entry point', () => {
  it('exits non-zero and names ENCRYPTION_KEY on stderr when it is missing', async () => {
    const child = spawnTs('src/app/main.ts', { ...VALID, ENCRYPTION_KEY: undefined, PORT: '0' });
    let stderr = '';
    child.proc.stderr!.on('data', (d) => (stderr += d.toString()));

    const { code } = await child.exited;

    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain('ENCRYPTION_KEY');
  });
});
