import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger';
import { loadConfig } from '../../src/config/env';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('info', stream), text: () => lines.join('') };
}

describe('logs', () => {
  it('never contain tokens, secrets or signatures, wherever they appear in a log entry', () => {
    const { logger, text } = capture();
    logger.info({ accessToken: 'tok-123', refresh_token: 'ref-456', portal: { clientSecret: 'sec-789' } }, 'refreshed');
    logger.info(
      { req: { headers: { authorization: 'Bearer tok-abc', 'x-hubspot-signature-v3': 'sig-def', cookie: 'sid=ghi' } } },
      'request',
    );
    const out = text();
    for (const secret of ['tok-123', 'ref-456', 'sec-789', 'tok-abc', 'sig-def', 'sid=ghi'])
      expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
    expect(JSON.parse(out.split('\n')[0]!)).toMatchObject({ msg: 'refreshed', app: 'nps-loop' });
  });

  it('redact the keys and connection strings of a logged configuration', () => {
    const { logger, text } = capture();
    const config = loadConfig({
      HUBSPOT_ACCESS_TOKEN: 'pat-secret-1',
      HUBSPOT_PORTAL_ID: '1',
      HUBSPOT_CLIENT_SECRET: 'client-secret-2',
      SURVEY_SIGNING_KEY: 'signing-key-3-xxxxxxxx',
      ENCRYPTION_KEY: 'encryption-key-4-xxxxxx',
      DATABASE_URL: 'postgres://u:pw-5@h/db',
    });
    logger.info({ config }, 'starting');
    const out = text();
    for (const secret of ['pat-secret-1', 'client-secret-2', 'signing-key-3', 'encryption-key-4', 'pw-5'])
      expect(out).not.toContain(secret);
  });
});
