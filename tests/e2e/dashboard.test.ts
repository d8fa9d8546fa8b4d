import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { TEST_PORTAL_ID, TEST_PUBLIC_URL } from '../helpers/env';
import { seriousAxeViolations } from '../helpers/axe';
import { fixedClock } from '../../src/shared/clock';
import { seedDemoHistory } from '../../src/cli/demo/history';
import { saveSettings } from '../../src/core/settings-service';
import { nockOwners } from '../integration/insights-fixture';
import { aCompany, aResponse, someContacts } from '../factories';

// The dashboard and the TV view in real Chromium: signed in through the form on a phone and on a laptop, the
// charts drawn under the page's CSP, user text shown as text, the wall screen at 1920×1080 stopping when its
// link is revoked, and axe-core on every page.

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'dashboard');
const ADMIN = 'test-admin-token-0123456789';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const TV = { width: 1920, height: 1080 };
const NOW = '2026-07-01T12:00:00Z';
const XSS = '<img src=x onerror="window.__pwned=1"> nice & "quoted"';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  nockOwners({
    '100': ['Mia', 'Madsen'],
    '101': ['Noah', 'Nilsson'],
    '102': ['Olga', 'Olsen'],
    '103': ['Per', 'Persson'],
    '104': ['Rita', 'Rask'],
  });
  server = await startTestServer({ RUN_WORKERS: 'false' }, { clock: fixedClock(NOW) });
  const db = server.deps.db;
  const industries = ['Retail', 'Software', 'Finance', 'Health'];
  for (let c = 1; c <= 12; c++)
    await aCompany(db, TEST_PORTAL_ID, { companyId: 500 + c, name: `Company ${c}`, industry: industries[c % 4] });
  await someContacts(
    db,
    TEST_PORTAL_ID,
    Array.from({ length: 150 }, (_, i) => i + 1).map((g) => ({
      contactId: g,
      email: `c${g}@example.com`,
      firstname: `First${g}`,
      lastname: `Last${g}`,
      ownerId: String(100 + (g % 5)),
      companyId: 501 + (g % 12),
      lifecycleStage: 'customer',
      language: 'en',
      customerSince: new Date(Date.parse('2022-01-01T00:00:00Z') + g * 3 * 86_400_000),
    })),
  );
  await seedDemoHistory(db, TEST_PORTAL_ID, { now: new Date(NOW), seed: 11 });
  await aResponse(db, {
    portalId: TEST_PORTAL_ID,
    contactId: 1,
    score: 10,
    category: 'promoter',
    comment: XSS,
    channel: 'manual',
    trigger: 'manual',
    ownerId: '101',
    companyId: 502,
    answeredAt: new Date('2026-07-01T08:00:00Z'),
  });
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
  foreign: string[];
  cspErrors: string[];
  pageErrors: string[];
}

async function watch(context: BrowserContext): Promise<Watched> {
  const page = await context.newPage();
  const w: Watched = { page, foreign: [], cspErrors: [], pageErrors: [] };
  page.on('request', (req) => {
    if (!req.url().startsWith(server.url) && !req.url().startsWith('data:')) w.foreign.push(req.url());
  });
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) w.cspErrors.push(msg.text());
  });
  page.on('pageerror', (err) => w.pageErrors.push(err.message));
  return w;
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${server.url}/dashboard`);
  expect(page.url()).toBe(`${server.url}/dashboard/sign-in`);
  await page.fill('#token', ADMIN);
  await Promise.all([page.waitForURL(`${server.url}/dashboard`), page.click('button[type="submit"]')]);
}

async function chartDrawn(page: Page, id: string): Promise<boolean> {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement | null;
    const chart = (window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } }).Chart;
    return Boolean(canvas && chart?.getChart(canvas) && canvas.width > 0 && canvas.height > 0);
  }, id);
}

describe('the dashboard', () => {
  it('on a phone: signs in through the form and shows the headline, the charts and the tables, all from this app', async () => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const w = await watch(context);
    await signIn(w.page);
    await expect.poll(() => chartDrawn(w.page, 'trend-chart')).toBe(true);
    expect(await chartDrawn(w.page, 'histogram-chart')).toBe(true);
    expect(await w.page.textContent('.nps-big .value')).toMatch(/^−?\d+$/);
    expect(await w.page.isVisible('#h-heroes')).toBe(true);
    expect(await w.page.textContent('#h-heroes + p + div')).toContain('Mia Madsen');
    const overflow = await w.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await w.page.screenshot({ path: join(ARTIFACTS, '01-dashboard-phone.png'), fullPage: true });
    await w.page.screenshot({ path: join(ARTIFACTS, '01a-dashboard-phone-first-screen.png') });
    await w.page.locator('#h-heroes').scrollIntoViewIfNeeded();
    await w.page.screenshot({ path: join(ARTIFACTS, '01b-dashboard-phone-heroes.png') });
    expect(w.cspErrors).toEqual([]);
    expect(w.pageErrors).toEqual([]);
    expect(w.foreign).toEqual([]);
    await context.close();
  });

  it('on a laptop: filters by mode and by comment category, and shows user text as text', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const w = await watch(context);
    await signIn(w.page);
    await w.page.screenshot({ path: join(ARTIFACTS, '02-dashboard-desktop.png'), fullPage: true });
    await Promise.all([w.page.waitForURL(/mode=latest/), w.page.selectOption('select[name="mode"]', 'latest')]);
    expect(await w.page.textContent('.headline')).toContain('(latest per person)');
    await expect.poll(() => chartDrawn(w.page, 'trend-chart')).toBe(true);
    await w.page.selectOption('select[name="category"]', 'promoter');
    await Promise.all([w.page.waitForURL(/category=promoter/), w.page.click('#comments button[type="submit"]')]);
    const scores = await w.page.$$eval('.comment .score', (els) => els.map((e) => Number(e.textContent)));
    expect(scores.length).toBeGreaterThan(0);
    expect(scores.every((s) => s >= 9)).toBe(true);
    expect(await w.page.textContent('#comments')).toContain(XSS);
    expect(await w.page.$$eval('#comments img', (imgs) => imgs.length)).toBe(0);
    expect(await w.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await w.page.screenshot({ path: join(ARTIFACTS, '03-dashboard-desktop-filtered.png'), fullPage: true });
    expect(w.cspErrors).toEqual([]);
    expect(w.pageErrors).toEqual([]);
    expect(w.foreign).toEqual([]);
    await context.close();
  });
});

describe('the movers panel', () => {
  it('on a phone: lists who moved and the net movement per segment, readable, with no serious axe problems', async () => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const w = await watch(context);
    await signIn(w.page);
    await Promise.all([w.page.waitForURL(/split=owner/), w.page.selectOption('select[name="split"]', 'owner')]);
    const panel = w.page.locator('#movers');
    await panel.scrollIntoViewIfNeeded();
    expect(await panel.isVisible()).toBe(true);
    expect(await panel.locator('p').nth(1).textContent()).toMatch(/^\d+ up · \d+ down · \d+ unchanged · net/);
    const people = await panel.locator('table').first().locator('tbody tr').count();
    expect(people).toBeGreaterThan(0);
    expect(await panel.locator('table caption').last().textContent()).toBe('Net movement by owner');
    expect(await panel.locator('table').last().textContent()).toMatch(
      /(Mia Madsen|Noah Nilsson|Olga Olsen|Per Persson|Rita Rask)/,
    );
    const overflow = await w.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await w.page.screenshot({ path: join(ARTIFACTS, '04-dashboard-phone-movers.png') });
    expect(w.cspErrors).toEqual([]);
    expect(w.pageErrors).toEqual([]);
    // axe is injected as a script, which the page's CSP rightly forbids: this context lets it in.
    const axeContext = await browser.newContext({ bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true });
    const a = await axeContext.newPage();
    await signIn(a);
    await a.goto(w.page.url());
    expect(await a.isVisible('#movers')).toBe(true);
    expect(await seriousAxeViolations(a)).toEqual([]);
    await axeContext.close();
    await context.close();
  });
});

describe('the channels panel', () => {
  it('on a phone: shows response rate and answers per channel as a table, with no serious axe problems', async () => {
    // axe is injected as a script, which the page's CSP rightly forbids: this context lets it in.
    const context = await browser.newContext({ bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page);
    const panel = page.locator('#channels');
    await panel.scrollIntoViewIfNeeded();
    expect(await panel.isVisible()).toBe(true);
    expect(await panel.locator('table caption').textContent()).toBe('Response rate and answers per channel');
    expect(await panel.locator('tbody tr[data-channel="email"] th').textContent()).toBe('Email');
    expect(await panel.locator('tbody tr[data-channel="email"] td').nth(2).textContent()).toMatch(/^\d+%$/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});

describe('the TV view', () => {
  it('at 1920×1080: a TV link from the dashboard shows the big number, counts, comments and heroes, and stops once revoked', async () => {
    const admin = await browser.newContext({ viewport: DESKTOP });
    const a = await watch(admin);
    await signIn(a.page);
    await a.page.fill('input[name="label"]', 'Lobby screen');
    await Promise.all([
      a.page.waitForURL(`${server.url}/dashboard/tv-links`),
      a.page.click('#tv-links button[type="submit"]'),
    ]);
    const url = (await a.page.inputValue('#tv-url')).replace(TEST_PUBLIC_URL, server.url);

    const wall = await browser.newContext({ viewport: TV });
    const tv = await watch(wall);
    await tv.page.clock.install({ time: new Date(NOW) });
    await tv.page.goto(url);
    await expect.poll(() => chartDrawn(tv.page, 'tv-sparkline')).toBe(true);
    expect(await tv.page.textContent('#tv-nps')).toMatch(/^−?\d+$/);
    const fontPx = await tv.page.$eval('#tv-nps', (el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(200);
    const smallest = await tv.page.evaluate(() =>
      Math.min(
        ...Array.from(document.querySelectorAll('main *'))
          .filter((el) => Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim()))
          .filter((el) => !el.closest('.visually-hidden'))
          .map((el) => parseFloat(getComputedStyle(el).fontSize)),
      ),
    );
    expect(smallest).toBeGreaterThanOrEqual(28);
    expect(await tv.page.$$eval('#tv-comment-list li', (li) => li.length)).toBeGreaterThan(0);
    expect(await tv.page.$$eval('#tv-hero-list li', (li) => li.length)).toBeGreaterThan(0);
    const fits = await tv.page.evaluate(
      () =>
        document.documentElement.scrollHeight <= window.innerHeight &&
        document.documentElement.scrollWidth <= window.innerWidth,
    );
    expect(fits).toBe(true);
    await tv.page.screenshot({ path: join(ARTIFACTS, '04-tv-1920x1080.png') });

    // A minute later it refreshes by itself.
    const refreshed = tv.page.waitForResponse((r) => r.url().endsWith('/api/insights/tv') && r.status() === 200);
    await tv.page.clock.runFor(61_000);
    await refreshed;
    await expect.poll(() => tv.page.textContent('#tv-status')).toContain('Updated');

    await a.page.goto(`${server.url}/dashboard#tv-links`);
    await Promise.all([a.page.waitForURL(/\/dashboard/), a.page.click('#tv-links button.danger')]);
    expect(await a.page.textContent('#tv-links')).toContain('revoked');
    const refused = tv.page.waitForResponse((r) => r.url().endsWith('/api/insights/tv') && r.status() === 401);
    await tv.page.clock.runFor(61_000);
    await refused;
    await expect.poll(() => tv.page.textContent('main')).toContain('This TV link was revoked');
    await tv.page.screenshot({ path: join(ARTIFACTS, '05-tv-revoked.png') });
    expect(tv.cspErrors).toEqual([]);
    expect(tv.pageErrors).toEqual([]);
    expect(tv.foreign).toEqual([]);
    await wall.close();
    await admin.close();
  });
});

describe('accessibility (axe-core)', () => {
  it('finds no serious or critical problems on the sign-in page, the dashboard (phone and laptop), the TV view and the TV-link page', async () => {
    const problems: Record<string, string[]> = {};
    // axe is injected as a script, which the pages' CSP rightly forbids: these contexts let it in.
    const phone = await browser.newContext({ bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await p.goto(`${server.url}/dashboard/sign-in`);
    problems['sign-in'] = await seriousAxeViolations(p);
    await signIn(p);
    problems['dashboard on a phone'] = await seriousAxeViolations(p);
    await phone.close();

    const desktop = await browser.newContext({ bypassCSP: true, viewport: DESKTOP });
    const d = await desktop.newPage();
    await signIn(d);
    problems['dashboard on a laptop'] = await seriousAxeViolations(d);
    await saveSettings(server.deps.db, TEST_PORTAL_ID, { insights: { benchmarkIndustry: 'manufacturing' } });
    await d.reload();
    expect(await d.textContent('#benchmark')).toContain('Manufacturing benchmark');
    problems['dashboard with a benchmark'] = await seriousAxeViolations(d);
    await Promise.all([d.waitForURL(`${server.url}/dashboard/tv-links`), d.click('#tv-links button[type="submit"]')]);
    problems['TV link created'] = await seriousAxeViolations(d);
    const url = (await d.inputValue('#tv-url')).replace(TEST_PUBLIC_URL, server.url);
    await desktop.close();

    const wall = await browser.newContext({ bypassCSP: true, viewport: TV });
    const t = await wall.newPage();
    await t.goto(url);
    await t.waitForSelector('#tv-hero-list li');
    problems['TV view'] = await seriousAxeViolations(t);
    await wall.close();
    expect(problems).toEqual({
      'sign-in': [],
      'dashboard on a phone': [],
      'dashboard on a laptop': [],
      'dashboard with a benchmark': [],
      'TV link created': [],
      'TV view': [],
    });
  });
});
