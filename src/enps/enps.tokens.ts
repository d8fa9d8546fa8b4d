import { createHash, randomBytes } from 'node:crypto';

// The one-time token of an eNPS link: 32 random bytes, mailed and never stored. Two different hashes of it are
// kept, in two tables: the invitation's (which link was used) and the answer's (which answer to replace). Neither
// can be computed from the other, so the database alone cannot pair them.

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function looksLikeToken(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text);
}

export function invitationHash(token: string): Buffer {
  return createHash('sha256').update(`enps-invite:${token}`).digest();
}

export function answerKey(token: string): Buffer {
  return createHash('sha256').update(`enps-answer:${token}`).digest();
}
