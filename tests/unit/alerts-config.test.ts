import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/env';
import { testConfig } from '../helpers/env';

describe('ALERTS_ALLOW_PRIVATE_WEBHOOKS', () => {
  it('is off by default', () => {
    expect(testConfig().alerts).toEqual({ allowPrivateWebhooks: false, webhookCaFile: undefined });
  });

  it('can be turned on for development and tests, with an extra CA for the webhook', () => {
    const config = testConfig({ ALERTS_ALLOW_PRIVATE_WEBHOOKS: 'true', ALERTS_WEBHOOK_CA_FILE: '/tmp/ca.pem' });
    expect(config.alerts).toEqual({ allowPrivateWebhooks: true, webhookCaFile: '/tmp/ca.pem' });
  });

  it('is refused in production', () => {
    expect(() => testConfig({ ALERTS_ALLOW_PRIVATE_WEBHOOKS: 'true', NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => testConfig({ ALERTS_ALLOW_PRIVATE_WEBHOOKS: 'yes' })).toThrow(/ALERTS_ALLOW_PRIVATE_WEBHOOKS/);
    expect(testConfig({ NODE_ENV: 'production' }).alerts.allowPrivateWebhooks).toBe(false);
  });
});
