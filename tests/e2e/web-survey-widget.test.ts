import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSettings } from '../../src/core/settings-service';
import { signIdentity, webSurveyFeature } from '../../src/web-survey';
import { DAY_MS } from '../../src/shared/clock';
import { launchChromium } from '../helpers/browser';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { aContact, anInvitation } from '../factories';

// The widget in real Chromium on a sample "customer web app" served from its own origin: the host page loads the
// loader from NPS Loop, identifies its user with a backend-signed hash, and the survey slides in. Driven by the
// keyboard only, at phone and desktop sizes, with axe-core over the page and the widget's shadow DOM.

const AXE = join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

let app: TestServer;
let host: Server;
let hostOrigin: string;
let browser: Browser;
let secret: string;
/** What the host page identifies the visitor as (its backend would know who is signed in). */
const visitors = new Map<string, string>();

function hostPage(email: string, nonce?: string): string {
  const hash = signIdentity(secret, email);
  const n = nonce ? ` nonce="${nonce}"` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer app</title></head><body><main><h1>Your projects</h1>
<p><button id="account" type="button">Open my account</button></p></main>
<script src="${app.url}/widget/v1/loader.js" data-portal="${TEST_PORTAL_ID}" async></script>
<script${n}>
window.NpsLoop = window.NpsLoop || { q: [], identify: function (o) { this.q.push(o); } };
document.getElementById('account').addEventListener('click', function () {
  NpsLoop.identify(${JSON.stringify({ email, userHash: hash })});
});
</script></body></html>`;
}

beforeAll(async () => {
  app = await startTestServer({ RUN_WORKERS: 'false' }, { features: [webSurveyFeature] });
  const res = await fetch(`${app.url}/dashboard/settings/web-survey/secret`, {
    method: 'POST',
    headers: { authorization: 'Bearer test-admin-token-0123456789', accept: 'application/json' },
  });
  secret = ((await res.json()) as { secret: string }).secret;
  host = createServer((req, res) => {
    const email = visitors.get(req.url ?? '');
    if (!email) return void res.writeHead(404).end();
    // /strict plays a host with a strict CSP: scripts from NPS Loop and its own nonce, no inline styles at all.
    const strict = req.url === '/strict';
    const csp = `default-src 'none'; script-src ${app.url} 'nonce-n0nce'; connect-src ${app.url}; style-src 'none'`;
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        ...(strict ? { 'content-security-policy': csp } : {}),
      })
      .end(hostPage(email, strict ? 'n0nce' : undefined));
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  await saveSettings(app.deps.db, TEST_PORTAL_ID, {
    brand: { name: 'Acme', color: '#e8a317' },
    webSurvey: { enabled: true, allowedOrigins: [hostOrigin] },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => host?.close(resolve));
  await app?.close();
});

let nextContact = 61_000;

async function visitorWithSurvey(path: string, language = 'en') {
  const contactId = nextContact++;
  const email = `visitor${contactId}@customer.test`;
  await aContact(app.deps.db, TEST_PORTAL_ID, { contactId, email, language });
  const inv = await anInvitation(app.deps.db, {
    portalId: TEST_PORTAL_ID,
    contactId,
    channel: 'web',
    status: 'sent',
    sentAt: new Date(),
    expiresAt: new Date(Date.now() + 30 * DAY_MS),
    followUpQuestion: 'What should we build next?',
  });
  visitors.set(path, email);
  return { contactId, invitationId: inv.id };
}

async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(ctx: Document, opts: object): Promise<{ violations: Array<{ id: string; impact: string | null }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

/** The element that has focus, looking inside the widget's shadow root. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return '';
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.getAttribute('value') ? '=' + el.getAttribute('value') : ''}`;
  });
}

async function openWidget(page: Page, path: string) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${hostOrigin}${path}`);
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('button#account');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  return { dialog, errors };
}

describe('the web survey widget on a customer web app', () => {
  it('on a desktop: slides in with focus, is answered with the keyboard alone, and passes axe', async () => {
    const v = await visitorWithSurvey('/desktop');
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const { dialog, errors } = await openWidget(page, '/desktop');
    expect(await focused(page)).toBe('section');
    expect(await dialog.getAttribute('aria-labelledby')).toBe('nl-title nl-q');
    await expect.poll(() => dialog.getByText('How likely are you to recommend Acme').count()).toBe(1);
    await expect
      .poll(async () => {
        const box = (await dialog.boundingBox())!;
        return [
          Math.round(box.width),
          Math.round(DESKTOP.width - box.x - box.width),
          Math.round(DESKTOP.height - box.y - box.height),
        ];
      })
      .toEqual([380, 16, 16]);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Sending without a score names the problem and puts focus on the scale.
    await page.keyboard.press('Tab'); // the close button
    await page.keyboard.press('Tab'); // the scale
    expect(await focused(page)).toBe('input=0');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toBe('input=8');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('textarea#nl-comment');
    await page.keyboard.type('Fast and friendly');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('textarea#nl-followup');
    await page.keyboard.type('Dark mode');
    await page.keyboard.press('Tab'); // not now
    await page.keyboard.press('Tab'); // send
    await page.keyboard.press('Enter');
    await dialog.getByRole('status').waitFor();
    expect(await dialog.getByRole('status').textContent()).toContain('Thank you');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const stored = await app.deps.db.query(
      'SELECT score, comment, follow_up_answer, channel FROM responses WHERE invitation_id = $1',
      [v.invitationId],
    );
    expect(stored.rows).toEqual([
      { score: 8, comment: 'Fast and friendly', follow_up_answer: 'Dark mode', channel: 'web' },
    ]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('button#account');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('on a phone: spans the screen bottom, in the contact’s language, and Escape dismisses it back to the page', async () => {
    const v = await visitorWithSurvey('/phone', 'da');
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const { dialog, errors } = await openWidget(page, '/phone');
    // Measured once the slide-in has come to rest.
    await expect
      .poll(async () => {
        const box = (await dialog.boundingBox())!;
        return [Math.round(box.x), Math.round(box.width), Math.round(box.y + box.height)];
      })
      .toEqual([0, PHONE.width, PHONE.height]);
    expect(await dialog.getAttribute('lang')).toBe('da');
    expect(await dialog.getByRole('button', { name: 'Ikke nu' }).count()).toBe(2);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('button#account');
    await expect
      .poll(
        async () =>
          (await app.deps.db.query('SELECT status, skip_reason FROM invitations WHERE id = $1', [v.invitationId])).rows,
      )
      .toEqual([{ status: 'skipped', skip_reason: 'dismissed' }]);
    // Snoozed: the next page view shows nothing.
    await page.reload();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const due = await page.evaluate(
      ([api, body]) =>
        fetch(api as string, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: body as string,
        }).then((r) => r.json()),
      [
        `${app.url}/widget/v1/${TEST_PORTAL_ID}/due`,
        JSON.stringify({ email: visitors.get('/phone'), userHash: signIdentity(secret, visitors.get('/phone')!) }),
      ],
    );
    expect(due).toEqual({ due: false });
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('works under a host page’s strict Content-Security-Policy (no inline styles allowed)', async () => {
    await visitorWithSurvey('/strict');
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const { dialog, errors } = await openWidget(page, '/strict');
    const styled = await page.evaluate(() => {
      const box = document.querySelector('[data-nps-loop]')!.shadowRoot!.querySelector('.box')!;
      const css = getComputedStyle(box);
      return { position: css.position, borderTopWidth: css.borderTopWidth };
    });
    expect(styled).toEqual({ position: 'fixed', borderTopWidth: '4px' });
    await dialog.getByRole('button', { name: 'Not now' }).last().focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
