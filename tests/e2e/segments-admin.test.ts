import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFullSync } from '../../src/contacts';
import { launchChromium } from '../helpers/browser';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app';
import { TEST_ACCESS_TOKEN, TEST_PORTAL_ID } from '../helpers/env';
import { waitFor } from '../helpers/wait';
import { seriousAxeViolations } from '../helpers/axe';

// The segments admin page in real Chromium against the sandbox: an admin picks a contact property from the
// portal's list, watches its backfill finish, finds it under "Segments by" on the dashboard; axe-core finds no
// serious problems on the page, and the page runs under its CSP.

const ADMIN = 'test-admin-token-0123456789';
let rig: SandboxApp;
let browser: Browser;

beforeAll(async () => {
  rig = await startSandboxApp({
    seed: { seed: 5, contacts: 40, companies: 4, deals: 0, tickets: 0 },
    sandbox: { webhooks: { targetUrl: null } },
    env: { RUN_WORKERS: 'true' },
  });
  const res = await fetch(`${rig.server.config.hubspot.apiBaseUrl}/crm/v3/properties/contacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ACCESS_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'plan_tier',
      label: 'Plan tier',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'contactinformation',
      options: [
        { label: 'Gold', value: 'Gold' },
        { label: 'Silver', value: 'Silver' },
      ],
    }),
  });
  expect(res.status).toBe(201);
  await runFullSync(rig.server.deps, TEST_PORTAL_ID);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

describe('segments admin page', () => {
  it('adds a property as a dimension, shows the backfill finish, and has no serious accessibility problems', async () => {
    const url = rig.server.url;
    const cspErrors: string[] = [];
    const plain = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await plain.newPage();
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
    });
    await page.goto(`${url}/dashboard/sign-in`);
    await page.fill('#token', ADMIN);
    await Promise.all([page.waitForURL(`${url}/dashboard`), page.click('button[type="submit"]')]);
    await page.goto(`${url}/dashboard/settings/segments`);
    await page.selectOption('#property', 'contact.plan_tier');
    await page.fill('#label', 'Plan');
    await page.click('form[action="/dashboard/settings/segments"] button[type="submit"]');
    await page.waitForSelector('tr[data-dimension="contact.plan_tier"]');
    await waitFor(
      async () => {
        await page.goto(`${url}/dashboard/settings/segments`);
        return (await page.textContent('tr[data-dimension="contact.plan_tier"]'))?.includes('Ready');
      },
      { what: 'backfill shown as ready' },
    );
    expect(await page.textContent('tr[data-dimension="contact.plan_tier"]')).toMatch(/40 of 40 contacts/);
    await page.goto(`${url}/dashboard`);
    expect(await page.$$eval('select[name="split"] option', (os) => os.map((o) => o.textContent))).toContain('Plan');
    expect(cspErrors).toEqual([]);
    await plain.close();

    // axe is injected as a script, which the page's CSP rightly forbids: this context lets it in.
    const context = await browser.newContext({
      bypassCSP: true,
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const p = await context.newPage();
    await p.goto(`${url}/dashboard/sign-in`);
    await p.fill('#token', ADMIN);
    await Promise.all([p.waitForURL(`${url}/dashboard`), p.click('button[type="submit"]')]);
    await p.goto(`${url}/dashboard/settings/segments`);
    expect(await seriousAxeViolations(p)).toEqual([]);
    await context.close();
  });
});
