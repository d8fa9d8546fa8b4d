// A small reader for the MIME messages this app writes (nodemailer output): enough to show a stored outbox mail
// and to check what an SMTP server received. It handles header folding, RFC 2047 encoded words, nested
// multipart bodies, and base64 / quoted-printable / 7bit / 8bit parts.

export interface ParsedMail {
  /** Header name (lower case) → decoded value; the first occurrence wins. */
  headers: Record<string, string>;
  text?: string;
  html?: string;
}

export function parseMail(raw: string | Buffer): ParsedMail {
  const mail: ParsedMail = { headers: {} };
  readPart(Buffer.isBuffer(raw) ? raw.toString('latin1') : Buffer.from(raw, 'utf8').toString('latin1'), mail, true);
  return mail;
}

/** Reads one entity. Works on a latin1 string so every byte survives until the charset is known. */
function readPart(entity: string, mail: ParsedMail, top: boolean): void {
  const split = /\r?\n\r?\n/.exec(entity);
  const head = split ? entity.slice(0, split.index) : entity;
  const body = split ? entity.slice(split.index + split[0].length) : '';
  const headers = parseHeaders(head);
  if (top) mail.headers = headers;
  const { type, params } = parseContentType(headers['content-type'] ?? 'text/plain');
  if (type.startsWith('multipart/') && params.boundary) {
    for (const part of splitMultipart(body, params.boundary)) readPart(part, mail, false);
    return;
  }
  if (type !== 'text/plain' && type !== 'text/html') return;
  if (/^attachment/i.test(headers['content-disposition'] ?? '')) return;
  const bytes = decodeTransfer(body, (headers['content-transfer-encoding'] ?? '7bit').toLowerCase());
  const text = decodeCharset(bytes, params.charset ?? 'utf-8');
  if (type === 'text/plain' && mail.text === undefined) mail.text = text;
  if (type === 'text/html' && mail.html === undefined) mail.html = text;
}

function parseHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const unfolded = head.replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!(name in headers)) headers[name] = decodeWords(line.slice(colon + 1).trim());
  }
  return headers;
}

function parseContentType(value: string): { type: string; params: Record<string, string> } {
  const [type = 'text/plain', ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const m of rest.join(';').matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|([^;\s]+))/g))
    params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  return { type: type.trim().toLowerCase(), params };
}

function splitMultipart(body: string, boundary: string): string[] {
  const parts: string[] = [];
  const delimiter = `--${boundary}`;
  const chunks = body.split(new RegExp(`\\r?\\n?${escapeRegExp(delimiter)}`));
  // chunks[0] is the preamble; a chunk starting with "--" is the closing delimiter and its epilogue.
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break;
    parts.push(chunk.replace(/^[ \t]*\r?\n/, ''));
  }
  return parts;
}

function decodeTransfer(body: string, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return Buffer.from(body, 'latin1');
}

function decodeQuotedPrintable(body: string): Buffer {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(joined.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase()).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

/** RFC 2047: =?utf-8?Q?...?= and =?utf-8?B?...?=; whitespace between two encoded words is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_whole, charset: string, enc: string, data: string) => {
      const bytes =
        enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return decodeCharset(bytes, charset);
    });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
