import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { escapeHtml } from '../shared';
import { accessibleAccent } from './colors';
import type { SurveyLanguage } from './i18n';

// The frame of every respondent-facing page: no scripts, no external resources, one inline stylesheet allowed by
// its hash in the Content-Security-Policy. Works without JavaScript, scales to a phone, keeps focus visible.

export interface PageInput {
  lang: SurveyLanguage;
  title: string;
  brandName: string;
  brandColor: string;
  /** Trusted HTML: callers escape every user-provided value they put in. */
  body: string;
  footer?: string;
  /** Shown inside the dashboard's preview frame: framable by this app only, and its form posts nowhere. */
  embedded?: boolean;
}

const styleCache = new Map<string, { css: string; hash: string }>();

function stylesFor(brandColor: string): { css: string; hash: string } {
  let s = styleCache.get(brandColor);
  if (!s) {
    const css = STYLES.replace('--accent:#000000', `--accent:${accessibleAccent(brandColor)}`);
    s = { css, hash: createHash('sha256').update(css, 'utf8').digest('base64') };
    styleCache.set(brandColor, s);
  }
  return s;
}

/** Sends a page with the headers every survey page needs (the URL holds a token: never cached, never referred). */
export function sendPage(res: Response, status: number, page: PageInput): void {
  const { css, hash } = stylesFor(page.brandColor);
  const framing = page.embedded
    ? "form-action 'none'; frame-ancestors 'self'"
    : "form-action 'self'; frame-ancestors 'none'";
  res.status(status).set({
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${hash}'; img-src 'self' data:; base-uri 'none'; ${framing}`,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Robots-Tag': 'noindex, nofollow',
  }).send(`<!doctype html>
<html lang="${page.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(page.title)}</title>
<style>${css}</style>
</head>
<body>
<header class="brand">${escapeHtml(page.brandName)}</header>
<main>
<div class="card">
${page.body}
</div>
</main>
${page.footer ? `<footer>${page.footer}</footer>` : ''}
</body>
</html>
`);
}

// White page background everywhere: the accent is only guaranteed 4.5:1 against pure white.
const STYLES = `:root{--accent:#000000;--text:#1d2330;--muted:#4a5160;--error:#b00020}
*{box-sizing:border-box}
body{margin:0;font:18px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--text);background:#fff}
.brand{background:var(--accent);color:#fff;padding:12px 16px;font-weight:700;font-size:1.1rem}
main{max-width:640px;margin:0 auto;padding:16px}
.card{padding:4px 0}
h1{font-size:1.35rem;line-height:1.3;margin:0 0 12px}
p{margin:0 0 12px}
a{color:var(--accent)}
a:focus-visible{outline:3px solid var(--text);outline-offset:2px}
fieldset{border:0;margin:0 0 24px;padding:0;min-width:0}
legend{padding:0;margin-bottom:12px}
.scale-options{display:grid;grid-template-columns:repeat(11,minmax(0,1fr));gap:6px}
.option{position:relative}
.option input{position:absolute;top:0;left:0;width:1px;height:1px;margin:0;opacity:0}
.option label{display:flex;align-items:center;justify-content:center;min-height:48px;border:2px solid var(--accent);border-radius:6px;background:#fff;color:var(--text);font-weight:700;cursor:pointer;user-select:none}
.option label:hover{background:#eef1f5}
.option input:checked+label{background:var(--accent);color:#fff}
.option input:focus-visible+label{outline:3px solid var(--text);outline-offset:2px}
.scale-ends{display:flex;justify-content:space-between;gap:12px;margin-top:8px;font-size:.9rem;color:var(--muted)}
.scale-ends span:last-child{text-align:right}
.field{margin:0 0 24px}
.field label{display:block;font-weight:700;margin-bottom:4px}
.optional{font-weight:400;color:var(--muted)}
.hint{font-size:.9rem;color:var(--muted);margin:0 0 6px}
textarea{display:block;width:100%;min-height:128px;padding:10px;font:inherit;color:var(--text);border:2px solid #6b7280;border-radius:6px;resize:vertical}
textarea:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
button{display:block;width:100%;min-height:48px;padding:12px 24px;font:inherit;font-weight:700;color:#fff;background:var(--accent);border:0;border-radius:6px;cursor:pointer}
button:focus-visible{outline:3px solid var(--text);outline-offset:3px}
.error-summary{border:3px solid var(--error);border-radius:6px;padding:12px 16px;margin:0 0 20px}
.error-summary h2{font-size:1.1rem;margin:0 0 6px;color:var(--error)}
.error-summary ul{margin:0;padding-left:20px}
.error-summary a{color:var(--error)}
.error{color:var(--error);font-weight:700;margin:0 0 8px}
h2{font-size:1.15rem;margin:20px 0 8px}
.review-links{list-style:none;margin:0 0 16px;padding:0;display:flex;flex-wrap:wrap;gap:10px}
.review-links li{flex:1 1 100%}
a.button{display:flex;align-items:center;justify-content:center;min-height:48px;padding:12px 24px;font-weight:700;color:#fff;background:var(--accent);border-radius:6px;text-decoration:none}
a.button:focus-visible{outline:3px solid var(--text);outline-offset:3px}
.referral label{display:block;font-weight:700;margin:16px 0 4px}
.referral{margin:0 0 20px}
.referral textarea{min-height:80px;margin-bottom:12px}
.notice{background:#eef3fb;border-left:4px solid var(--accent);padding:10px 14px}
footer{max-width:640px;margin:0 auto;padding:8px 16px 32px;font-size:.9rem}
footer a{color:var(--muted)}
@media (max-width:520px){.scale-options{grid-template-columns:repeat(6,minmax(0,1fr))}}
@media (min-width:521px){button{display:inline-block;width:auto}.review-links li{flex:0 1 auto}}`;
