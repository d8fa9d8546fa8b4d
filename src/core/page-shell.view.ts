import type { Response } from 'express';
import { escapeHtml } from '../shared';

// The HTML shell and security headers of every dashboard page. Scripts and styles come from this app only (no
// inline script, no inline style, no CDN); pages are private and never cached; no other site may frame them.

const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function setPageHeaders(res: Response, framesFromSelf: boolean): void {
  // A page that shows this app's own previews in iframes may frame this origin, and nothing else.
  res.setHeader('content-security-policy', framesFromSelf ? `${PAGE_CSP}; frame-src 'self'` : PAGE_CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  // TV links carry their key in the URL: never leak it (or anything else) to another site in a Referer.
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cache-control', 'no-store');
}

export interface PageSpec {
  title: string;
  /** Already-escaped HTML of the page body. */
  body: string;
  styles: string[];
  scripts?: string[];
  bodyClass?: string;
  status?: number;
  /** The page embeds iframes of this app's own routes (the settings preview). */
  framesFromSelf?: boolean;
}

export function sendPage(res: Response, page: PageSpec): void {
  setPageHeaders(res, page.framesFromSelf ?? false);
  const styles = page.styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n');
  const scripts = (page.scripts ?? []).map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join('\n');
  res
    .status(page.status ?? 200)
    .type('html')
    .send(
      `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
${styles}
${scripts}
</head>
<body${page.bodyClass ? ` class="${escapeHtml(page.bodyClass)}"` : ''}>
${page.body}
</body>
</html>`,
    );
}

/** JSON for a `<script type="application/json">` block: `<` is escaped so no text can close the element. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
