import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isBlockedAddress, webhookHint } from '../../src/alerts/webhook-url';

const refused = (url: string) => {
  const v = checkWebhookUrl(url, false);
  return v.ok ? null : v.reason;
};

describe('alert webhook addresses', () => {
  it('accepts public https webhooks', () => {
    expect(refused('https://hooks.slack.com/services/T000/B000/XXXX')).toBeNull();
    expect(refused('https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi')).toBeNull();
    expect(refused('https://8.8.8.8/hook')).toBeNull();
    expect(refused('https://[2606:4700:4700::1111]/hook')).toBeNull();
  });

  it('refuses anything but https, and credentials in the URL', () => {
    expect(refused('http://hooks.slack.com/services/x')).toMatch(/https/);
    expect(refused('ftp://hooks.slack.com/x')).toMatch(/https/);
    expect(refused('javascript:alert(1)')).toMatch(/https/);
    expect(refused('not a url')).toMatch(/valid URL/);
    expect(refused('https://user:pw@hooks.slack.com/x')).toMatch(/user name or password/);
    expect(refused('')).toMatch(/enter/);
  });

  it('refuses private, loopback and link-local IPv4 addresses', () => {
    for (const host of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.0.1',
      '224.0.0.1',
      '255.255.255.255',
    ])
      expect(refused(`https://${host}/hook`), host).toMatch(/private/);
    expect(refused('https://172.32.0.1/hook')).toBeNull();
  });

  it('refuses the same addresses written in decimal, octal or hex', () => {
    expect(refused('https://2130706433/hook')).toMatch(/private/); // 127.0.0.1
    expect(refused('https://0177.0.0.1/hook')).toMatch(/private/);
    expect(refused('https://0x7f.1/hook')).toMatch(/private/);
    expect(refused('https://3232235777/hook')).toMatch(/private/); // 192.168.1.1
    expect(refused('https://0251.0376.0251.0376/hook')).toMatch(/private/); // 169.254.169.254
  });

  it('refuses private, loopback and link-local IPv6 addresses, IPv4-mapped ones included', () => {
    for (const host of [
      '[::1]',
      '[::]',
      '[fe80::1]',
      '[fc00::1]',
      '[fd12:3456::1]',
      '[ff02::1]',
      '[::ffff:127.0.0.1]',
      '[::ffff:7f00:1]',
      '[::ffff:10.0.0.1]',
      '[::ffff:a9fe:a9fe]',
      '[64:ff9b::a00:1]',
      '[2002:c0a8:101::1]',
      '[::127.0.0.1]',
    ])
      expect(refused(`https://${host}/hook`), host).toMatch(/private/);
    expect(refused('https://[::ffff:8.8.8.8]/hook')).toBeNull();
  });

  it('refuses local host names', () => {
    expect(refused('https://localhost/hook')).toMatch(/public host/);
    expect(refused('https://api.localhost/hook')).toMatch(/public host/);
    expect(refused('https://metadata.google.internal/hook')).toMatch(/public host/);
    expect(refused('https://intranet/hook')).toMatch(/public host/);
  });

  it('classifies resolved addresses for the send-time check', () => {
    expect(isBlockedAddress('127.0.0.2')).toBe(true);
    expect(isBlockedAddress('::ffff:192.168.0.1')).toBe(true);
    expect(isBlockedAddress('93.184.216.34')).toBe(false);
    expect(isBlockedAddress('2a00:1450:4001:82a::200e')).toBe(false);
    expect(isBlockedAddress('not-an-ip')).toBe(true);
  });

  it('lets the development switch through loopback, and never shows the secret path', () => {
    expect(checkWebhookUrl('https://127.0.0.1:8443/hook', true).ok).toBe(true);
    expect(checkWebhookUrl('http://127.0.0.1:8443/hook', true).ok).toBe(false);
    expect(webhookHint(new URL('https://hooks.slack.com/services/T0/B0/secret'))).toBe('https://hooks.slack.com/…');
  });
});
