import { escapeHtml as e } from '../shared';

// The admin page for the web survey's identity secret. The secret is shown once, right after it is generated;
// afterwards only when it was made.

export interface SecretPageView {
  createdAt: Date | null;
  csrf: string;
  /** Only on the response that generated it. */
  newSecret?: string;
  portalId: number;
  loaderUrl: string;
}

export function secretPageBody(v: SecretPageView): string {
  const when = v.createdAt ? e(v.createdAt.toISOString().slice(0, 16).replace('T', ' ')) : '';
  const fresh = v.newSecret
    ? `<div role="status"><p><strong>Your new secret.</strong> Copy it into your web app’s backend configuration now: it is stored encrypted and is not shown again.</p>
<p><label for="secret">Identity secret</label>
<input id="secret" type="text" readonly value="${e(v.newSecret)}" size="60" autocomplete="off" spellcheck="false"></p></div>`
    : '';
  const status = v.createdAt
    ? `<p>A secret is set (generated ${when} UTC). Generating a new one replaces it at once: identities your backend signed with the old secret stop working.</p>`
    : '<p>No secret yet: the widget ignores every identity until you generate one.</p>';
  return `<main class="page narrow">
<h1>Web survey: identity secret</h1>
${fresh}
${status}
<form method="post" action="/dashboard/settings/web-survey/secret">
<input type="hidden" name="_csrf" value="${e(v.csrf)}">
<p><button type="submit"${v.createdAt ? ' class="danger"' : ''}>${v.createdAt ? 'Replace the secret' : 'Generate a secret'}</button></p>
</form>
<h2>How your web app uses it</h2>
<p>Your backend signs the signed-in user’s email (or HubSpot contact id) with HMAC-SHA256 and this secret, and the page passes the result as <code>userHash</code>:</p>
<pre><code>${e(`<script src="${v.loaderUrl}" data-portal="${v.portalId}" async></script>
<script>
  window.NpsLoop = window.NpsLoop || { q: [], identify: function (o) { this.q.push(o); } };
  NpsLoop.identify({ email: 'ada@example.com', userHash: '<hex HMAC-SHA256 of the email>' });
</script>`)}</code></pre>
<p>Which sites may show the widget, and how long a dismissal keeps it away, is set under <a href="/dashboard/settings/web-survey">Settings → Web survey</a>.</p>
<p><a href="/dashboard">Back to the dashboard</a></p>
</main>`;
}
