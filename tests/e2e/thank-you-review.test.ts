import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { TEST_PORTAL_ID } from '../helpers/env';
import { seriousAxeViolations } from '../helpers/axe';
import { createSurveyToken } from '../../src/core/survey-links';
import { aContact, aResponse, anInvitation } from '../factories';

// A promoter in real Chromium on a phone: answers 10, reads the thank-you page with its review buttons (checked by
// axe-core, no sideways scrolling), and taps one: the app counts the click and redirects the browser to the review
// site that was configured (outside this machine, so the test watches the browser's request for it).

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'thank-you-review');
const PHONE = { width: 390, height: 844 };
const ADMIN_TOKEN = 'test-admin-token-0123456789';
const SITES = [
  { name: 'G2', url: 'https://reviews-g2.example/products/acme' },
  { name: 'Trustpilot', url: 'https://reviews-tp.example/review/acme?from=nps' },
  { name: 'Google', url: 'https://reviews-google.example/acme' },
];

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startTestServer({ RUN_WORKERS: 'false', DATA_DIR: mkdtempSync(join(tmpdir(), 'nps-e2e-thanks-')) });
  browser = await launchChromium();
  const saved = await fetch(`${server.url}/api/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ thankYou: { reviewSites: SITES, referralQuestion: true } }),
  });
  expect(saved.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openSurvey(): Promise<{ url: string; contactId: number }> {
  const db = server.deps.db;
  await aContact(db, TEST_PORTAL_ID, { contactId: 1, email: 'robin@example.com', firstname: 'Robin' });
  const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const { id } = await anInvitation(db, {
    portalId: TEST_PORTAL_ID,
    contactId: 1,
    milestoneKey: 'e2e:thanks',
    status: 'sent',
    sentAt: new Date(),
    scheduledFor: new Date(),
    expiresAt,
  });
  const token = createSurveyToken(server.config.surveySigningKey, {
    portalId: TEST_PORTAL_ID,
    invitationId: id,
    expiresAt,
  });
  return { url: `${server.url}/s/${token}?score=10`, contactId: 1 };
}

describe('the promoter thank-you page on a phone', () => {
  it('shows three review buttons that fit the screen, passes axe-core, and a tap is counted and redirected to the review site', async () => {
    const survey = await openSurvey();
    // axe is injected as a script, which the page's CSP rightly forbids: this context lets it in.
    const context = await browser.newContext({ bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();

    await page.goto(survey.url);
    await Promise.all([page.waitForURL(/\/thanks$/), page.click('button[type="submit"]')]);
    expect(await page.textContent('.next-step')).toContain('We are delighted to hear it!');
    const buttons = page.locator('.review-links a.button');
    expect(await buttons.allTextContents()).toEqual([
      'Review us on G2',
      'Review us on Trustpilot',
      'Review us on Google',
    ]);
    for (const box of await Promise.all((await buttons.all()).map((b) => b.boundingBox()))) {
      expect(box!.height).toBeGreaterThanOrEqual(44);
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await page.isVisible('textarea#referral')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, '01-phone-promoter-thanks.png'), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The review site is outside this machine: the browser's request for it (after our redirect) is the proof.
    const [request] = await Promise.all([
      page.waitForRequest(SITES[1]!.url),
      page.click('text=Review us on Trustpilot'),
    ]);
    expect(request.redirectedFrom()?.url()).toMatch(new RegExp(`^${server.url}/r/[\\w-]+/1$`));
    expect(request.isNavigationRequest()).toBe(true);
    const clicks = await server.deps.db.query<{ site_name: string; site_url: string }>(
      'SELECT site_name, site_url FROM review_clicks WHERE contact_id = $1',
      [survey.contactId],
    );
    expect(clicks.rows).toEqual([{ site_name: 'Trustpilot', site_url: SITES[1]!.url }]);
    const outbox = await server.deps.db.query(
      `SELECT 1 FROM outbox WHERE kind = 'contact-properties' AND item_key = '1'`,
    );
    expect(outbox.rows).toHaveLength(1);
    await context.close();
  });
});

describe('excluding an answer in the dashboard', () => {
  it('goes from a comment to the confirmation, excludes with a reason, and includes again, with axe-core on each page', async () => {
    await aContact(server.deps.db, TEST_PORTAL_ID, { contactId: 2, email: 'tester@example.com' });
    await aResponse(server.deps.db, {
      portalId: TEST_PORTAL_ID,
      contactId: 2,
      score: 0,
      comment: 'asdf test <script>',
      answeredAt: new Date(Date.now() - 3600_000),
    });
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/dashboard`);
    await page.fill('#token', ADMIN_TOKEN);
    await Promise.all([page.waitForURL(`${server.url}/dashboard`), page.click('button[type="submit"]')]);
    expect(await page.textContent('#reviews')).toContain('Review clicks and referrals');

    const comment = page.locator('li.comment', { hasText: 'asdf test <script>' });
    await Promise.all([page.waitForURL(/\/exclude$/), comment.locator('a', { hasText: 'Exclude' }).click()]);
    expect(await page.textContent('blockquote')).toBe('asdf test <script>');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.fill('#reason', 'a test answer');
    await Promise.all([page.waitForURL(/\/dashboard\/answers\/excluded$/), page.click('button[type="submit"]')]);
    expect(await page.textContent('.excluded-answer')).toContain('a test answer');
    await page.screenshot({ path: join(ARTIFACTS, '02-excluded-answers.png'), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.goto(`${server.url}/dashboard`);
    expect(await page.locator('li.comment', { hasText: 'asdf test' }).count()).toBe(0);
    await page.goto(`${server.url}/dashboard/answers/excluded`);
    await Promise.all([page.waitForURL(/\/dashboard\/answers\/excluded$/), page.click('text=Include again')]);
    expect(await page.textContent('main')).toContain('No answers are excluded.');
    await page.goto(`${server.url}/dashboard`);
    expect(await page.locator('li.comment', { hasText: 'asdf test' }).count()).toBe(1);
    await context.close();
  });
});
