import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSecret, identityKey, readIdentity, signIdentity, verifyIdentity } from '../../src/web-survey/identity';

// The widget's identity check: HMAC-SHA256 of the exact identifier string with the portal's secret, hex.

const SECRET = 'nlw_test-secret';

describe('web survey identity verification', () => {
  it('signs as the README tells a host backend to (HMAC-SHA256, hex)', () => {
    const expected = createHmac('sha256', SECRET).update('ada@example.com').digest('hex');
    expect(signIdentity(SECRET, 'ada@example.com')).toBe(expected);
    // A published test vector (RFC 4231 case 2), so the examples in other languages can be checked against it.
    expect(signIdentity('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('accepts a hash signed with the secret, for an email or a contact id, in either case of hex', () => {
    const byEmail = readIdentity({ email: 'ada@example.com', userHash: signIdentity(SECRET, 'ada@example.com') })!;
    expect(byEmail.identity).toEqual({ kind: 'email', email: 'ada@example.com' });
    expect(verifyIdentity(SECRET, byEmail)).toBe(true);
    const upper = signIdentity(SECRET, '42').toUpperCase();
    const byId = readIdentity({ hubspotContactId: 42, userHash: upper })!;
    expect(byId.identity).toEqual({ kind: 'contactId', contactId: '42' });
    expect(verifyIdentity(SECRET, byId)).toBe(true);
  });

  it('refuses a hash made with another secret, for another identity, or tampered by one character', () => {
    const good = signIdentity(SECRET, 'ada@example.com');
    const claim = (userHash: string, email = 'ada@example.com') => readIdentity({ email, userHash })!;
    expect(verifyIdentity(SECRET, claim(signIdentity('other', 'ada@example.com')))).toBe(false);
    expect(verifyIdentity(SECRET, claim(good, 'eve@example.com'))).toBe(false);
    const flipped = (good[0] === 'a' ? 'b' : 'a') + good.slice(1);
    expect(verifyIdentity(SECRET, claim(flipped))).toBe(false);
    // The exact string is signed: a different case is a different identity.
    expect(verifyIdentity(SECRET, claim(good, 'Ada@example.com'))).toBe(false);
  });

  it('reads nothing from malformed claims', () => {
    const hash = signIdentity(SECRET, 'x@y.z');
    expect(readIdentity({ email: 'x@y.z' })).toBeNull();
    expect(readIdentity({ userHash: hash })).toBeNull();
    expect(readIdentity({ email: 'x@y.z', hubspotContactId: '1', userHash: hash })).toBeNull();
    expect(readIdentity({ email: 'x@y.z', userHash: 'abc' })).toBeNull();
    expect(readIdentity({ hubspotContactId: '1e3', userHash: hash })).toBeNull();
    expect(readIdentity({ email: 'not-an-email', userHash: hash })).toBeNull();
    expect(readIdentity(null)).toBeNull();
  });

  it('generates distinct, long secrets and keys rate limits per portal and identity', () => {
    const a = generateSecret();
    expect(a).toMatch(/^nlw_[A-Za-z0-9_-]{43}$/);
    expect(generateSecret()).not.toBe(a);
    const claimed = readIdentity({ email: 'Ada@Example.com', userHash: signIdentity(SECRET, 'Ada@Example.com') })!;
    expect(identityKey(1, claimed)).toBe('1:email:ada@example.com');
    expect(identityKey(2, claimed)).not.toBe(identityKey(1, claimed));
  });
});
