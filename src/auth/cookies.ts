// Cookie header parsing and Set-Cookie serialisation (no dependency needed for the few cookies we set).

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (!name || out.has(name)) continue;
    try {
      out.set(name, decodeURIComponent(raw));
    } catch {
      // A cookie we cannot decode is not one of ours.
    }
  }
  return out;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
  secure: boolean;
  sameSite: 'Strict' | 'Lax';
  path?: string;
}

export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${o.path ?? '/'}`,
    `Max-Age=${Math.max(0, Math.floor(o.maxAge))}`,
    'HttpOnly',
    `SameSite=${o.sameSite}`,
  ];
  if (o.secure) parts.push('Secure');
  return parts.join('; ');
}

/**
 * The cookie's name: on https the `__Host-` prefix makes browsers refuse it unless it is Secure, host-only and
 * for path / — a sibling subdomain cannot plant or overwrite it.
 */
export function cookieName(base: string, secure: boolean): string {
  return secure ? `__Host-${base}` : base;
}
