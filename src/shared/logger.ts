import pino, { type Logger } from 'pino';

export type { Logger };

// Paths pino blanks out wherever they appear, so tokens and secrets never reach a log line.
const REDACT = [
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'token',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'authorization',
  'cookie',
  'code',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.token',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.client_secret',
  '*.authorization',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  'config.hubspot',
  'config.surveySigningKey',
  'config.encryptionKey',
  'config.adminToken',
  'config.smtpUrl',
  'config.databaseUrl',
];

export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'nps-loop' } }, destination);
}

/** A logger that writes nothing, for tests and tools that do not care. */
export const silentLogger: Logger = pino({ level: 'silent' });
