import { expect } from 'vitest';

// A tiny cookie-keeping HTTP client for the dashboard tests: fetch does not keep cookies, browsers do.

export class Browser {
  private cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Replaces a cookie's value (to test tampering). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  cookieNamed(suffix: string): [string, string] | undefined {
    return [...this.cookies].find(([k]) => k.endsWith(suffix));
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookie());
    const res = await fetch(`${this.base}${path}`, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (attrs.some((a) => a.trim().toLowerCase() === 'max-age=0')) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  form(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Signs in with the admin token through the real form; returns the session's CSRF token. */
  async signIn(adminToken: string): Promise<string> {
    const page = await this.fetch('/dashboard/sign-in');
    const formToken = hiddenCsrf(await page.text());
    const res = await this.form('/dashboard/sign-in', { token: adminToken, _csrf: formToken });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard');
    return this.csrf();
  }

  /** The session's CSRF token, as the dashboard page hands it to its forms. */
  async csrf(): Promise<string> {
    const res = await this.fetch('/dashboard');
    expect(res.status).toBe(200);
    return hiddenCsrf(await res.text());
  }
}

export function hiddenCsrf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no _csrf field on the page');
  return m[1]!;
}
