import { describe, expect, it } from 'vitest';
import { cookieName, parseCookies, serializeCookie } from '../../src/auth/cookies';
import { hashSecret, isSecureOrigin, sign, verifySignature } from '../../src/auth/keys';

const config = { encryptionKey: 'test-encryption-key-0123456789' };

describe('session cookies', () => {
  it.each([
    ['a=1; b=2', { a: '1', b: '2' }],
    ['  a = x%20y ;b=', { a: 'x y', b: '' }],
    ['a=1; a=2', { a: '1' }],
    ['junk; =x; c=%E0%A4%A', {}],
    [undefined, {}],
  ])('parses %j', (header, expected) => {
    expect(Object.fromEntries(parseCookies(header))).toEqual(expected);
  });

  it('are httpOnly and SameSite, Secure on https, and deleted with Max-Age=0', () => {
    expect(serializeCookie('s', 'v.1', { maxAge: 60, secure: true, sameSite: 'Lax' })).toBe(
      's=v.1; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure',
    );
    expect(serializeCookie('s', '', { maxAge: 0, secure: false, sameSite: 'Strict' })).toBe(
      's=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict',
    );
  });

  it('take the __Host- prefix on https only', () => {
    expect(cookieName('nps_session', true)).toBe('__Host-nps_session');
    expect(cookieName('nps_session', false)).toBe('nps_session');
    expect(isSecureOrigin({ publicBaseUrl: 'https://nps.example' })).toBe(true);
    expect(isSecureOrigin({ publicBaseUrl: 'http://localhost:3000' })).toBe(false);
  });
});

describe('signatures', () => {
  it('verify for the same purpose and data only', () => {
    const sig = sign(config, 'session', 'abc.123');
    expect(verifySignature(config, 'session', 'abc.123', sig)).toBe(true);
    expect(verifySignature(config, 'csrf', 'abc.123', sig)).toBe(false);
    expect(verifySignature(config, 'session', 'abc.124', sig)).toBe(false);
    expect(verifySignature({ encryptionKey: 'another-encryption-key-012345' }, 'session', 'abc.123', sig)).toBe(false);
  });

  it('stores secrets as sha256 hex, never as they are', () => {
    expect(hashSecret('key')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret('key')).not.toContain('key');
  });
});
