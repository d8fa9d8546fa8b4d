import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { seriousAxeViolations } from '../helpers/axe';
import { fixedClock } from '../../src/shared/clock';
import { ADMIN_TOKEN, nockWorkspaceHubSpot } from '../integration/workspace-fixture';

// The settings workspace in real Chromium at phone width, under the page CSP: axe-core on the menu and a form,
// a colour white text cannot be read on refused next to the field, fixed and saved, an earlier version restored
// from the history, and the trigger rule form's stage list following the chosen pipeline.

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'settings-workspace');
const PHONE = { width: 390, height: 844 };

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  nockWorkspaceHubSpot();
  server = await startTestServer({ RUN_WORKERS: 'false' }, { clock: fixedClock('2026-07-01T12:00:00Z') });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

interface Watched {
  page: Page;
  cspErrors: string[];
  pageErrors: string[];
}

async function watch(context: BrowserContext): Promise<Watched> {
  const page = await context.newPage();
  const w: Watched = { page, cspErrors: [], pageErrors: [] };
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) w.cspErrors.push(msg.text());
  });
  page.on('pageerror', (err) => w.pageErrors.push(err.message));
  return w;
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${server.url}/dashboard/settings`);
  expect(page.url()).toBe(`${server.url}/dashboard/sign-in`);
  await page.fill('#token', ADMIN_TOKEN);
  await Promise.all([page.waitForURL(`${server.url}/dashboard`), page.click('button[type="submit"]')]);
}

async function noHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe('the settings workspace', () => {
  it('on a phone: refuses a low-contrast colour inline, saves the fix, and restores an earlier version', async () => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const w = await watch(context);
    const { page } = w;
    await signIn(page);

    await Promise.all([
      page.waitForURL(`${server.url}/dashboard/settings`),
      page.click('a[href="/dashboard/settings"]'),
    ]);
    // The workspace's own sections, and the ones other features add (wording, benchmark, alerts, themes).
    const hrefs = await page.locator('#sections a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    for (const id of [
      'brand',
      'surveys',
      'follow-ups',
      'triggers',
      'insights',
      'languages',
      'benchmark',
      'alerts',
      'themes',
    ])
      expect(
        hrefs.some((h) => h?.includes(`/${id}`)),
        `${id} in ${hrefs.join(' ')}`,
      ).toBe(true);
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'menu-phone.png'), fullPage: true });

    await Promise.all([page.waitForURL(/\/settings\/brand$/), page.click('a[href="/dashboard/settings/brand"]')]);
    await page.fill('#f-brand-name', 'Acme');
    await page.fill('#f-brand-color', '#ffd700');
    await page.click('button[value="save"]');
    await page.waitForSelector('#f-brand-color-error');
    expect(await page.textContent('#f-brand-color-error')).toContain(
      'contrast ratio of 1.40:1; it needs at least 4.5:1',
    );
    expect(await page.getAttribute('#f-brand-color', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#f-brand-color', 'aria-describedby')).toContain('f-brand-color-error');
    expect(await page.inputValue('#f-brand-name')).toBe('Acme');
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'brand-error-phone.png'), fullPage: true });

    await page.fill('#f-brand-color', '#0b5394');
    await Promise.all([page.waitForURL(/\/settings\/brand\?saved=1$/), page.click('button[value="save"]')]);
    expect(await page.textContent('#saved-notice')).toContain('Saved');
    expect(await page.inputValue('#f-brand-color')).toBe('#0b5394');
    await page.fill('#f-brand-name', 'Acme Nordic');
    await Promise.all([page.waitForURL(/\/settings\/brand\?saved=1$/), page.click('button[value="save"]')]);

    await page.goto(`${server.url}/dashboard/settings/history`);
    expect(await page.locator('#versions > li').count()).toBe(2);
    expect(await page.textContent('#version-2')).toMatch(/brand.name: Acme\s*→?\s*became\s*Acme Nordic/);
    await Promise.all([page.waitForURL(/\/history\?restored=1$/), page.click('#version-1 button')]);
    expect(await page.locator('#versions > li').count()).toBe(3);
    expect(await page.textContent('#version-3')).toContain('restore');
    const settings = await (
      await fetch(`${server.url}/api/settings`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).json();
    expect(settings.settings.brand).toMatchObject({ name: 'Acme', color: '#0b5394' });

    expect(await noHorizontalScroll(page)).toBe(true);
    await page.goto(`${server.url}/dashboard/settings/triggers`);
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'rules-phone.png'), fullPage: true });
    await page.goto(`${server.url}/dashboard/settings/triggers/add`);
    expect(await page.isHidden('#refresh-choices')).toBe(true);
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.selectOption('select[name$=".pipelineId"]', '777');
    expect(await page.locator('select[name$=".stageId"] option').allTextContents()).toEqual([
      'Choose a stage',
      'Renewed',
    ]);
    await page.selectOption('select[name$=".objectType"]', 'ticket');
    expect(await page.locator('select[name$=".pipelineId"] option').allTextContents()).toEqual(['Support pipeline']);
    expect(await page.locator('select[name$=".stageId"] option').allTextContents()).toEqual([
      'Choose a stage',
      'New',
      'Closed',
    ]);

    expect(w.cspErrors).toEqual([]);
    expect(w.pageErrors).toEqual([]);
    await context.close();
  });

  it('passes axe-core on a phone: the menu, a form showing a problem, the trigger rules, the history and every feature section', async () => {
    // axe is injected as a script, which the page CSP (rightly) refuses: this context bypasses CSP for it.
    const context = await browser.newContext({ bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page);
    const problems: Record<string, string[]> = {};
    await page.goto(`${server.url}/dashboard/settings`);
    problems.menu = await seriousAxeViolations(page);
    await page.goto(`${server.url}/dashboard/settings/brand`);
    await page.fill('#f-brand-color', '#eeeeee');
    await page.click('button[value="save"]');
    await page.waitForSelector('#f-brand-color-error');
    problems['brand with a problem'] = await seriousAxeViolations(page);
    await page.goto(`${server.url}/dashboard/settings/follow-ups`);
    problems['follow-up tasks'] = await seriousAxeViolations(page);
    await page.goto(`${server.url}/dashboard/settings/triggers`);
    problems['trigger rules'] = await seriousAxeViolations(page);
    await page.goto(`${server.url}/dashboard/settings/triggers/add`);
    problems['trigger rule form'] = await seriousAxeViolations(page);
    await page.goto(`${server.url}/dashboard/settings/history`);
    problems.history = await seriousAxeViolations(page);
    // The sections other features add: every one of them is a page an admin works in.
    for (const section of ['surveys', 'insights', 'languages', 'benchmark', 'alerts', 'alerts/webhook', 'enps']) {
      const res = await page.goto(`${server.url}/dashboard/settings/${section}`);
      expect(res?.status(), section).toBe(200);
      problems[section] = await seriousAxeViolations(page);
    }
    expect(problems).toEqual({
      menu: [],
      'brand with a problem': [],
      'follow-up tasks': [],
      'trigger rules': [],
      'trigger rule form': [],
      history: [],
      surveys: [],
      insights: [],
      languages: [],
      benchmark: [],
      alerts: [],
      'alerts/webhook': [],
      enps: [],
    });
    await context.close();
  });
});
