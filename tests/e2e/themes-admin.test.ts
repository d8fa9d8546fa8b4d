import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { TEST_PORTAL_ID } from '../helpers/env';
import { seriousAxeViolations } from '../helpers/axe';
import { fixedClock } from '../../src/shared/clock';
import { aPortal, aResponse } from '../factories';

// The themes admin page in real Chromium: an admin signs in, defines a theme through the form, accepts a
// suggested one, sees comments tagged on the dashboard, user text stays text, and axe-core finds nothing serious.

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'themes');
const ADMIN = 'test-admin-token-0123456789';
const NOW = '2026-07-01T12:00:00Z';
const XSS = '<img src=x onerror="window.__pwned=1"> support response time';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startTestServer({ RUN_WORKERS: 'false' }, { clock: fixedClock(NOW) });
  const db = server.deps.db;
  await aPortal(db, { portalId: TEST_PORTAL_ID });
  const comments = [
    ['Support response time is far too slow', 2, 'en'],
    ['The support response time keeps getting worse', 3, 'en'],
    ['Slow support response time again', 1, 'en'],
    [XSS, 0, 'en'],
    ['Svartiden hos supporten er alt for lang', 4, 'da'],
    ['Der Preis ist zu hoch', 5, 'de'],
    ['Great reports', 9, 'en'],
    ['Easy to use', 10, 'en'],
  ] as const;
  for (const [i, [comment, score, language]] of comments.entries())
    await aResponse(db, {
      portalId: TEST_PORTAL_ID,
      contactId: i + 1,
      score,
      comment,
      language,
      answeredAt: new Date(`2026-06-${10 + i}T09:00:00Z`),
    });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the themes admin page', () => {
  it('defines and accepts themes through its forms, and passes axe-core', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
    });
    await page.goto(`${server.url}/dashboard`);
    await page.fill('#token', ADMIN);
    await Promise.all([page.waitForURL(`${server.url}/dashboard`), page.click('button[type="submit"]')]);

    await page.goto(`${server.url}/dashboard/themes?from=2026-06-01&to=2026-06-30&category=detractor`);
    const phrases = await page.locator('#candidates th[scope="row"]').allTextContents();
    expect(phrases.slice(0, 3)).toContain('support response time');

    await page.fill('input[name="name"]:not([value])', 'Pricing');
    await page.fill('#new-de', 'Preis, teuer');
    await Promise.all([page.waitForURL(`${server.url}/dashboard/themes`), page.click('button:has-text("Add theme")')]);
    await page.click('button:has-text("Accept support response time")');
    await page.waitForURL(`${server.url}/dashboard/themes`);
    expect(await page.locator('#theme-list summary').allTextContents()).toEqual(['Pricing', 'support response time']);

    // axe-core is injected as a script, which the page's CSP refuses: check it in a context that bypasses CSP.
    const audit = await browser.newContext({ bypassCSP: true, storageState: await context.storageState() });
    const auditPage = await audit.newPage();
    await auditPage.goto(`${server.url}/dashboard/themes?from=2026-06-01&to=2026-06-30`);
    await auditPage.locator('#theme-list summary').first().click();
    expect(await seriousAxeViolations(auditPage)).toEqual([]);
    await auditPage.screenshot({ path: join(ARTIFACTS, 'themes-admin.png'), fullPage: true });
    await audit.close();

    await page.goto(`${server.url}/dashboard?from=2026-06-01&to=2026-06-30`);
    const section = page.locator('#themes');
    expect(await section.locator('#themes-by-category th[scope="row"]').allTextContents()).toEqual([
      'Pricing',
      'support response time',
    ]);
    await section.locator('summary:has-text("Example comments")').click();
    expect(await section.locator('blockquote').allTextContents()).toContain(XSS);
    await section.screenshot({ path: join(ARTIFACTS, 'dashboard-themes.png') });
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(cspErrors).toEqual([]);
    await context.close();
  });
});
