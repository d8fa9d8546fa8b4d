import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app';
import { TEST_PORTAL_ID } from '../helpers/env';
import { seriousAxeViolations } from '../helpers/axe';
import { drainPortal } from '../../src/outbox';
import { enpsMailOutbox, runEnpsCycle } from '../../src/enps';
import { Browser as DashboardClient } from '../integration/dashboard-http';
import { enpsTokenOf } from '../integration/enps-db';

// An employee answers eNPS on a phone in real Chromium: the app reads the portal's users and teams from the HubSpot
// sandbox, an admin starts a wave, the invitation is mailed, and the employee picks a score and says why. axe-core
// checks the survey and the thank-you page.

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'enps-survey');
const PHONE = { width: 390, height: 844 };

let app: SandboxApp;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  app = await startSandboxApp({
    seed: { contacts: 0, companies: 0, deals: 0, tickets: 0, owners: 8 },
    env: { RUN_WORKERS: 'false' },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('an employee answering eNPS on a phone', () => {
  it('gets the invitation, answers with a score and a reason, and is thanked; the pages pass axe-core', async () => {
    const server = app.server;
    const admin = new DashboardClient(server.url);
    const csrf = await admin.signIn(server.config.adminToken!);
    const today = new Date().toISOString().slice(0, 10);
    const closes = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const wave = await admin.form('/dashboard/enps/waves', { _csrf: csrf, opensOn: today, closesOn: closes });
    expect(wave.status).toBe(303);
    const adminPage = await (await admin.fetch('/dashboard/enps/admin')).text();
    expect(adminPage).toContain('Sales (3 users)');

    expect(await runEnpsCycle(server.deps, TEST_PORTAL_ID)).toMatchObject({ opened: 1, invited: 8 });
    await drainPortal(server.deps, enpsMailOutbox, TEST_PORTAL_ID, { hold: 0 });
    expect(server.sentMail).toHaveLength(8);
    const token = enpsTokenOf(server.sentMail[0]!.raw);

    const page = await browser.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const cspErrors: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
    });
    const surveyUrl = `${server.url}/e/${token}`;
    await page.goto(surveyUrl);
    expect(await page.textContent('h1')).toContain('How likely are you to recommend working at');
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: join(ARTIFACTS, '01-phone-survey.png'), fullPage: true });

    await page.click('label[for="score-9"]');
    await page.fill('#why', 'People help each other');
    await Promise.all([page.waitForURL(/\/thanks$/), page.click('button[type="submit"]')]);
    expect(await page.textContent('h1')).toBe('Thank you');
    await page.screenshot({ path: join(ARTIFACTS, '02-phone-thanks.png'), fullPage: true });
    expect(cspErrors).toEqual([]);
    await page.close();

    // axe-core is injected as a script, which the pages' strict CSP rightly refuses: check them in a context that
    // bypasses CSP (a GET records nothing).
    const audit = await browser.newContext({ bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true });
    const auditPage = await audit.newPage();
    for (const url of [surveyUrl, `${surveyUrl}/thanks`]) {
      await auditPage.goto(url);
      expect(await seriousAxeViolations(auditPage), url).toEqual([]);
    }
    await audit.close();

    const stored = await server.deps.db.query<{ score: number; why: string }>('SELECT score, why FROM enps_answers');
    expect(stored.rows).toEqual([{ score: 9, why: 'People help each other' }]);
  });

  it('an admin closes the wave on the admin page, and the results page shows eNPS; both pass axe-core', async () => {
    const server = app.server;
    for (const [i, score] of [10, 9, 6, 8, 10].entries()) {
      const token = enpsTokenOf(server.sentMail[i + 1]!.raw);
      const res = await fetch(`${server.url}/e/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ score: String(score) }).toString(),
        redirect: 'manual',
      });
      expect(res.status).toBe(303);
    }
    const context = await browser.newContext({ bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/dashboard/enps/admin`);
    await page.fill('#token', server.config.adminToken!);
    await Promise.all([page.waitForURL(`${server.url}/dashboard`), page.click('button[type="submit"]')]);
    await page.goto(`${server.url}/dashboard/enps/admin`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/done=closed/), page.click('button:has-text("Close today")')]);
    expect(await runEnpsCycle(server.deps, TEST_PORTAL_ID)).toMatchObject({ closed: 1 });

    await page.goto(`${server.url}/dashboard/enps`);
    // 9, 10, 9, 6, 8, 10: four promoters, one passive, one detractor of six.
    expect(await page.textContent('#enps-value')).toBe('+50');
    expect(await page.textContent('#enps-n')).toContain('6 answers');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, '03-phone-results.png'), fullPage: true });
    await context.close();
  });
});
