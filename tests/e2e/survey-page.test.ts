import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { TEST_PORTAL_ID, TEST_PUBLIC_URL } from '../helpers/env';
import { seriousAxeViolations } from '../helpers/axe';
import { runDeliveryCycle } from '../../src/surveys/delivery';
import { createMailer } from '../../src/surveys/mailer';
import type { ParsedMail } from '../../src/surveys/mime';
import { aContact, anInvitation } from '../factories';

// A respondent in real Chromium: the email arrives over SMTP, they open its link on a phone, pick a score, write
// why, and submit; then the same by keyboard only; axe-core checks every page they can see.

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'survey-page');
const PHONE = { width: 390, height: 844 };

let server: TestServer;
let smtp: TestSmtpServer;
let browser: Browser;
let nextContact = 1;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  smtp = await startSmtpServer();
  server = await startTestServer({
    SMTP_URL: smtp.url,
    RUN_WORKERS: 'false',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'nps-e2e-')),
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.close();
});

/** Schedules a survey for a new contact, lets the app mail it, and returns the mail and the invitation id. */
async function mailedSurvey(
  opts: { language?: string; followUp?: string } = {},
): Promise<{ mail: ParsedMail; invitationId: string }> {
  const db = server.deps.db;
  const contactId = nextContact++;
  await aContact(db, TEST_PORTAL_ID, {
    contactId,
    email: `r${contactId}@example.com`,
    firstname: 'Robin',
    language: opts.language ?? null,
  });
  const r = await anInvitation(db, {
    portalId: TEST_PORTAL_ID,
    contactId,
    trigger: 'deal',
    milestoneKey: `e2e:${contactId}`,
    status: 'scheduled',
    followUpQuestion: opts.followUp ?? null,
  });
  const before = smtp.received.length;
  await runDeliveryCycle({ ...server.deps, mailer: createMailer(server.config) });
  expect(smtp.received.length).toBe(before + 1);
  return { mail: smtp.received[smtp.received.length - 1]!.mail, invitationId: r.id };
}

/** The link behind score button `score` in the mail's HTML, pointed at the test server instead of PUBLIC_BASE_URL. */
function scoreLink(mail: ParsedMail, score: number): string {
  const m = new RegExp(`href="(${TEST_PUBLIC_URL}/s/[\\w-]+\\?score=${score})"`).exec(mail.html ?? '');
  if (!m) throw new Error(`no link for score ${score} in the mail`);
  return m[1]!.replace(TEST_PUBLIC_URL, server.url);
}

async function answerOf(invitationId: string) {
  const r = await server.deps.db.query<{ score: number; comment: string | null; follow_up_answer: string | null }>(
    'SELECT score, comment, follow_up_answer FROM responses WHERE invitation_id = $1',
    [invitationId],
  );
  return r.rows[0];
}

/** A phone-sized page that records any request leaving the app and any CSP violation. */
async function phonePage(context?: BrowserContext): Promise<{ page: Page; foreign: string[]; cspErrors: string[] }> {
  const page = await (context ?? browser).newPage({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  const foreign: string[] = [];
  const cspErrors: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(server.url)) foreign.push(req.url());
  });
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
  });
  return { page, foreign, cspErrors };
}

describe('answering on a phone', () => {
  it('opens the link from the email with the score preselected, takes a changed score and a comment, and thanks the respondent', async () => {
    const { mail, invitationId } = await mailedSurvey({ followUp: 'What could we do better?' });
    const { page, foreign, cspErrors } = await phonePage();
    await page.setContent(mail.html!);
    await page.screenshot({ path: join(ARTIFACTS, '00-phone-email.png'), fullPage: true });
    foreign.length = 0;
    await page.goto(scoreLink(mail, 8));
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.isChecked('#score-8')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, '01-phone-from-email.png'), fullPage: true });
    expect(await answerOf(invitationId)).toBeUndefined();

    await page.click('label[for="score-9"]');
    await page.fill('#comment', 'Quick answers <b>every</b> time');
    await page.fill('#followUp', 'Weekend support');
    await page.screenshot({ path: join(ARTIFACTS, '02-phone-filled-in.png'), fullPage: true });
    await Promise.all([page.waitForURL(/\/thanks$/), page.click('button[type="submit"]')]);
    expect(await page.textContent('h1')).toBe('Thank you!');
    await page.screenshot({ path: join(ARTIFACTS, '03-phone-thank-you.png'), fullPage: true });

    expect(await answerOf(invitationId)).toEqual({
      score: 9,
      comment: 'Quick answers <b>every</b> time',
      follow_up_answer: 'Weekend support',
    });
    expect(foreign).toEqual([]);
    expect(cspErrors).toEqual([]);
    await page.close();
  });

  it('fits the scale on a phone screen with tap targets of at least 44 pixels', async () => {
    const { mail } = await mailedSurvey();
    const { page } = await phonePage();
    await page.goto(scoreLink(mail, 5));
    const boxes = await Promise.all(
      Array.from({ length: 11 }, (_, s) => page.locator(`label[for="score-${s}"]`).boundingBox()),
    );
    for (const box of boxes) {
      expect(box!.height).toBeGreaterThanOrEqual(44);
      expect(box!.width).toBeGreaterThanOrEqual(44);
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    }
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await page.close();
  });
});

describe('answering with the keyboard only', () => {
  it('reaches every control with Tab, picks a score with the arrow keys, shows where focus is, and submits with Enter', async () => {
    const { mail, invitationId } = await mailedSurvey({ language: 'da-DK' });
    const link = scoreLink(mail, 0).replace(/\?score=0$/, '');
    const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
    await page.goto(link);
    expect(await page.getAttribute('html', 'lang')).toBe('da');
    expect(await page.textContent('legend')).toContain(
      'Hvor sandsynligt er det, at du vil anbefale NPS Loop til en ven eller kollega?',
    );

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('score-0');
    const outline = await page.evaluate(
      () => getComputedStyle(document.querySelector('label[for="score-0"]')!).outlineStyle,
    );
    expect(outline).toBe('solid');
    await page.screenshot({ path: join(ARTIFACTS, '04-keyboard-focus.png') });
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    expect(await page.isChecked('#score-6')).toBe(true);

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('comment');
    await page.keyboard.type('Hurtig levering, men dyr fragt.');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
    await page.screenshot({ path: join(ARTIFACTS, '05-keyboard-submit-focus.png') });
    await Promise.all([page.waitForURL(/\/thanks$/), page.keyboard.press('Enter')]);
    expect(await page.textContent('h1')).toBe('Tak!');
    expect(await answerOf(invitationId)).toEqual({
      score: 6,
      comment: 'Hurtig levering, men dyr fragt.',
      follow_up_answer: null,
    });
    await page.close();
  });
});

describe('accessibility (axe-core)', () => {
  it('finds no serious or critical problems on the form, the error page, the thank-you page and a closed link', async () => {
    const { mail } = await mailedSurvey({ followUp: 'Anything else?' });
    // axe is injected as a script, which the page's CSP rightly forbids: this context lets it in.
    const context = await browser.newContext({ bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true });
    const { page } = await phonePage(context);

    await page.goto(scoreLink(mail, 3));
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The server's own check, without the browser's: drop `required` and send no score.
    await page.evaluate(() =>
      document.querySelectorAll('input[name="score"]').forEach((i) => {
        (i as HTMLInputElement).checked = false;
        i.removeAttribute('required');
      }),
    );
    await page.click('button[type="submit"]');
    await page.waitForSelector('.error-summary');
    expect(await page.textContent('.error-summary')).toContain('Choose a score from 0 to 10.');
    await page.screenshot({ path: join(ARTIFACTS, '06-phone-error.png'), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.click('label[for="score-10"]');
    await Promise.all([page.waitForURL(/\/thanks$/), page.click('button[type="submit"]')]);
    expect(await seriousAxeViolations(page)).toEqual([]);

    const closed = await page.goto(`${server.url}/s/not-a-valid-token`);
    expect(closed!.status()).toBe(404);
    await page.screenshot({ path: join(ARTIFACTS, '07-phone-broken-link.png'), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
