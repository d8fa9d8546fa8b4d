import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config/env';

/** Postgres when DATABASE_URL is set (CI), PGlite otherwise. */
export const TEST_DATABASE_URL = process.env.DATABASE_URL || undefined;
export const TEST_PORTAL_ID = 1001;
export const TEST_CLIENT_SECRET = 'test-client-secret-0123456789';
export const TEST_ACCESS_TOKEN = 'test-access-token';
export const TEST_PUBLIC_URL = 'https://nps.test';

export function uniqueSchema(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** A complete, valid configuration for tests; override any variable. */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    PORT: '0',
    PUBLIC_BASE_URL: TEST_PUBLIC_URL,
    DATABASE_URL: TEST_DATABASE_URL,
    HUBSPOT_API_BASE_URL: 'https://api.hubapi.com',
    HUBSPOT_ACCESS_TOKEN: TEST_ACCESS_TOKEN,
    HUBSPOT_PORTAL_ID: String(TEST_PORTAL_ID),
    HUBSPOT_CLIENT_SECRET: TEST_CLIENT_SECRET,
    SURVEY_SIGNING_KEY: 'test-survey-signing-key-0123456789',
    ENCRYPTION_KEY: 'test-encryption-key-0123456789',
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    LOG_LEVEL: 'silent',
    ...env,
  });
}
