import { isIP } from 'node:net';

// Which addresses an alert webhook may reach. An admin types the webhook URL, and the app then POSTs to it from
// inside the operator's network: without these rules the URL could aim the app at internal services (SSRF).
// Checked when the URL is saved (the host as written) and again before every send (every address the name
// resolves to then, so a name cannot switch to an internal address after it was saved). Pure.

export type WebhookKind = 'slack' | 'teams';

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/** IPv4 ranges that are not the public internet: this network, private, shared, loopback, link-local, test, multicast, reserved. */
const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v4Blocked(ip: string): boolean {
  const n = v4ToInt(ip);
  return BLOCKED_V4.some(
    ([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(v4ToInt(base) / 2 ** (32 - bits)),
  );
}

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail expanded). */
function v6Groups(ip: string): number[] {
  let text = ip.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4ToInt(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

function groupsToV4(hi: number, lo: number): string {
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

function v6Blocked(ip: string): boolean {
  const g = v6Groups(ip);
  if (g.length !== 8 || g.some((x) => Number.isNaN(x))) return true;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  // ::ffff:a.b.c.d (IPv4-mapped), ::a.b.c.d (IPv4-compatible, ::1 and :: among them), 64:ff9b::a.b.c.d (NAT64)
  if (zeroTo(5) && g5 === 0xffff) return v4Blocked(groupsToV4(g6, g7));
  if (zeroTo(6)) return true;
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return v4Blocked(groupsToV4(g6, g7));
  // 6to4 carries an IPv4 address in its second and third groups
  if (g0 === 0x2002) return v4Blocked(groupsToV4(g1, g2));
  if ((g0 & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0) return true; // link-local, site-local
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return true; // documentation
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // discard-only
  return false;
}

/** True for an address that is not on the public internet (private, loopback, link-local, reserved…). */
export function isBlockedAddress(ip: string): boolean {
  const family = isIP(ip.replace(/^\[|\]$/g, ''));
  if (family === 4) return v4Blocked(ip);
  if (family === 6) return v6Blocked(ip.replace(/^\[|\]$/g, ''));
  return true; // not an address at all
}

/** Names that only ever mean this machine or the local network. */
function isLocalName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return (
    !h.includes('.') ||
    h === 'localhost' ||
    ['.localhost', '.local', '.internal', '.lan', '.home.arpa', '.localdomain'].some((s) => h.endsWith(s))
  );
}

/**
 * Checks a webhook URL as typed: https only, no user:password, at most 2048 characters, and a host that is
 * public (an address literal in any spelling the URL standard accepts, decimal and octal included, is
 * normalised by URL before the check). `allowPrivate` is the ALERTS_ALLOW_PRIVATE_WEBHOOKS switch.
 */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): UrlVerdict {
  const text = raw.trim();
  if (text.length === 0) return { ok: false, reason: 'enter the webhook address' };
  if (text.length > 2048) return { ok: false, reason: 'must be at most 2048 characters' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'must start with https://' };
  if (url.username || url.password) return { ok: false, reason: 'must not contain a user name or password' };
  if (allowPrivate) return { ok: true, url };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    if (isBlockedAddress(host))
      return { ok: false, reason: 'points to a private, loopback or link-local address, which is not allowed' };
  } else if (isLocalName(host)) {
    return { ok: false, reason: 'must use a public host name, not a local one' };
  }
  return { ok: true, url };
}

/** What the admin page shows of a stored webhook URL: its host, never the secret path. */
export function webhookHint(url: URL): string {
  return `${url.protocol}//${url.host}/…`;
}
