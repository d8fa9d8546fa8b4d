import { LANGUAGES, WORDING_KEYS, type Settings, type WordingKey } from '../core';
import { escapeHtml as e } from '../shared';
import { LANGUAGE_NAMES, WORDING_LABELS, type ResolvedWording } from '../surveys';
import type { Draft } from './draft';

// The preview page (pure): a form to pick language and rule, the draft wording, and the rendered email and survey
// page beside it. The frames load from this app's own preview routes; the text part is on the page itself.

export interface PreviewPageInput {
  settings: Settings;
  draft: Draft;
  /** What each field shows when left empty (the built-in or rule wording). */
  fallback: ResolvedWording;
  query: string;
  csrf: string;
  isAdmin: boolean;
  adminEmail: string | null;
  email: { subject: string; text: string };
  sent: boolean;
}

const MULTILINE: ReadonlySet<WordingKey> = new Set(['emailIntro', 'thankYou']);

export function previewPage(p: PreviewPageInput): string {
  const { draft } = p;
  const langOptions = LANGUAGES.map(
    (l) => `<option value="${l}"${l === draft.lang ? ' selected' : ''}>${e(LANGUAGE_NAMES[l])} (${l})</option>`,
  ).join('');
  const ruleOptions = [
    `<option value="">No rule (portal wording)</option>`,
    ...p.settings.triggers.map(
      (r) => `<option value="${e(r.id)}"${r.id === draft.ruleId ? ' selected' : ''}>${e(r.id)}</option>`,
    ),
  ].join('');
  const fields = WORDING_KEYS.map((key) => wordingField(key, draft.wording[key] ?? '', p.fallback[key])).join('\n');
  const sendButton = p.isAdmin
    ? `<label for="to">Send the test to</label>
<input type="email" id="to" name="to" value="${e(draft.to ?? '')}" placeholder="${e(p.adminEmail ?? 'you@example.com')}" aria-describedby="to-hint">
<p class="hint" id="to-hint">Empty: your own address${p.adminEmail ? ` (${e(p.adminEmail)})` : ''}. The test email is marked TEST and its answer counts nowhere.</p>`
    : '';
  return `<main class="page">
<p><a href="/dashboard/settings">Settings</a> · <a href="/dashboard">Dashboard</a></p>
<h1>Preview the email and survey page</h1>
${p.sent ? '<p class="notice" role="status">Test survey sent. Open it from your inbox and answer it: the answer counts nowhere.</p>' : ''}
<div class="preview-layout">
<section aria-labelledby="draft-heading">
<h2 id="draft-heading">Draft wording</h2>
<form method="get" action="/dashboard/settings/preview" class="preview-form">
<label for="pick-lang">Language</label>
<select id="pick-lang" name="lang">${langOptions}</select>
<label for="pick-rule">Trigger rule</label>
<select id="pick-rule" name="rule">${ruleOptions}</select>
<div class="actions"><button type="submit">Load saved wording</button></div>
</form>
<form id="preview-draft" method="post" action="/dashboard/settings/preview" class="preview-form">
<input type="hidden" name="_csrf" value="${e(p.csrf)}">
<input type="hidden" name="lang" value="${e(draft.lang)}">
<input type="hidden" name="rule" value="${e(draft.ruleId ?? '')}">
<p class="hint">${e(LANGUAGE_NAMES[draft.lang])} wording. This draft is not saved: save it under Settings, Languages and wording. An empty field uses the built-in text shown in it.</p>
${fields}
${sendButton}
<div class="actions">
<button type="submit">Update preview</button>
${p.isAdmin ? '<button type="submit" formaction="/dashboard/settings/preview/test">Send me a test survey</button>' : ''}
</div>
</form>
</section>
<section aria-labelledby="email-heading">
<h2 id="email-heading">Email</h2>
<p>Subject: <strong id="preview-subject">${e(p.email.subject)}</strong></p>
<p id="preview-status" class="field-error" role="status"></p>
<iframe id="preview-email" class="preview-frame" title="Email preview, HTML part" sandbox src="/dashboard/settings/preview/email?${e(p.query)}"></iframe>
<h3>Text part</h3>
<pre id="preview-text" class="preview-text" tabindex="0">${e(p.email.text)}</pre>
<h2>Survey page</h2>
<iframe id="preview-page" class="preview-frame" title="Survey page preview" sandbox src="/dashboard/settings/preview/survey?${e(p.query)}"></iframe>
<p class="hint">Links in the preview lead nowhere; send yourself a test survey to follow them.</p>
</section>
</div>
</main>`;
}

function wordingField(key: WordingKey, value: string, fallback: string): string {
  const id = `w-${key}`;
  const input = MULTILINE.has(key)
    ? `<textarea id="${id}" name="${key}" rows="3" placeholder="${e(fallback)}">${e(value)}</textarea>`
    : `<input type="text" id="${id}" name="${key}" value="${e(value)}" placeholder="${e(fallback)}">`;
  return `<label for="${id}">${e(WORDING_LABELS[key])}</label>\n${input}`;
}
