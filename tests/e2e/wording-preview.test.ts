import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { fixedClock } from '../../src/shared/clock';

// The settings preview in real Chromium at phone width: typing in the draft updates the email frame, the text part
// and the survey page frame under the page's strict CSP, user text stays text, and axe-core finds nothing serious.

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'wording-preview');
const AXE = readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const ADMIN = 'test-admin-token-0123456789';
const PHONE = { width: 390, height: 844 };
const XSS = '<img src=x onerror="parent.__pwned=1"> Hvordan går det & "så"?';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startTestServer({ RUN_WORKERS: 'false' }, { clock: fixedClock('2026-07-01T12:00:00Z') });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${server.url}/dashboard`);
  await page.fill('#token', ADMIN);
  await Promise.all([page.waitForURL(`${server.url}/dashboard`), page.click('button[type="submit"]')]);
}

async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: any[] }> } })
      .axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({ id: v.id as string, impact: v.impact as string | null, n: v.nodes.length }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.n})`);
}

describe('the settings preview', () => {
  it('on a phone: updates the email and survey page live from the draft, under the CSP, accessibly', async () => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const cspErrors: string[] = [];
    const pageErrors: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await signIn(page);
    await page.goto(`${server.url}/dashboard/settings/preview?lang=da`);
    await expect.poll(() => page.frameLocator('#preview-email').locator('h1').textContent()).toContain('anbefale');

    await page.fill('#w-question', XSS);
    await page.fill('#w-emailSubject', 'Et lille spørgsmål fra {brand}');
    await expect.poll(() => page.frameLocator('#preview-email').locator('h1').textContent()).toBe(XSS);
    await expect.poll(() => page.frameLocator('#preview-page').locator('legend h1').textContent()).toBe(XSS);
    await expect.poll(() => page.textContent('#preview-text')).toContain(XSS);
    expect(await page.textContent('#preview-subject')).toBe('Et lille spørgsmål fra NPS Loop');
    expect(await page.frameLocator('#preview-email').locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, '01-preview-phone.png'), fullPage: true });
    expect(cspErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();

    // axe-core is injected as an inline script, so this pass bypasses the CSP checked above.
    const axeContext = await browser.newContext({ bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true });
    const axePage = await axeContext.newPage();
    await signIn(axePage);
    await axePage.goto(`${server.url}/dashboard/settings/preview?lang=de`);
    expect(await seriousAxeViolations(axePage)).toEqual([]);
    await axeContext.close();
  });
});
