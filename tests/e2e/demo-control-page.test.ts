import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../integration/dashboard-http';
import { runFullSync } from '../../src/contacts';
import { seedHistory, startDemo, type DemoEnvironment } from '../../src/cli/demo/environment';
import { listCapturedMail } from '../../src/cli/demo/mail-folder';
import { getSettings } from '../../src/core';
import { evaluateFatigue } from '../../src/triggers/fatigue';
import { loadFatigueInput } from '../../src/triggers/fatigue.repo';

// The newcomer's loop, end to end, on the real demo environment (sandbox + app + captured mail): the control
// page's "Close a deal" picks a deal of a contact outside the quiet period, moves it through the sandbox's own
// record ops, the signed webhook reaches the app, the survey lands in the demo mail folder, and answering it
// writes the contact's nps_* properties and a follow-up task that the control page and the card view show.

let env: DemoEnvironment;
let dir: string;

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const surveyable = async (contactId: string) => {
  const db = env.app.deps.db;
  const settings = await getSettings(db, env.portalId);
  return evaluateFatigue({
    now: new Date(),
    quietPeriodDays: settings.quietPeriodDays,
    ...(await loadFatigueInput(db, env.portalId, contactId)),
  }).ok;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nps-demo-control-'));
  env = await startDemo({ dataDir: dir, port: 0, sandboxPort: 0, contacts: 150, logLevel: 'silent' });
  await runFullSync(env.app.deps, env.portalId);
  await seedHistory(env);
});
afterAll(async () => {
  await env?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the seeded history', () => {
  it('leaves part of the contacts of open deals outside the quiet period, and keeps the rest in it', async () => {
    const portal = env.sandbox.portal();
    const openDealContacts = [...portal.tables.deals.all()]
      .filter((d) => !['closedwon', 'closedlost', '87654324', '87654325'].includes(d.properties.dealstage ?? ''))
      .flatMap((d) => portal.liveAssociations('deals', d.id, 'contacts').map(([id]) => String(id)));
    const verdicts = await Promise.all(openDealContacts.map(surveyable));
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(3);
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(3);
    const candidates = await env.sandbox.controlPanel.candidates('deal', { limit: 100 });
    expect(candidates.length).toBeGreaterThan(3);
    for (const c of candidates) expect(await surveyable(c.contactId)).toBe(true);
  });
});

describe('the sandbox control page', () => {
  it('serves the page with both buttons and links to the demo mail', async () => {
    const res = await fetch(`${env.sandbox.url()}/_control`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain(
      '<form method="post" action="/_control/close-deal"><button type="submit">Close a deal</button></form>',
    );
    expect(html).toContain(
      '<form method="post" action="/_control/close-ticket"><button type="submit">Close a ticket</button></form>',
    );
    expect(html).toContain(`href="${env.appUrl}/demo/mail"`);
    expect(html).toMatch(/curl -X POST http:\/\/localhost:\d+\/_sandbox\/deals\/\d+\/stage/);
  });

  it('closes a deal, the app gets the signed webhook, the survey lands in the demo mail, and the answer comes back to HubSpot', async () => {
    const res = await fetch(`${env.sandbox.url()}/_control/close-deal`, { method: 'POST' });
    expect(res.status).toBe(201);
    const action = (await res.json()) as {
      id: string;
      toStage: string;
      contact: { id: string; email: string };
      webhook: { status: number; outcome: string };
    };
    expect(['closedwon', '87654324']).toContain(action.toStage); // won: Sales Pipeline's Closed Won, or Renewals' Renewed
    expect(action.webhook).toEqual({ status: 200, outcome: 'delivered' });
    expect(env.sandbox.crm.getRecord('deals', action.id).properties.dealstage).toBe(action.toStage);

    const mail = await waitFor(
      'the survey mail',
      async () => (await listCapturedMail(env.mailDir)).find((m) => m.to === action.contact.email),
      60_000,
    );

    // The newcomer signs in, opens the mail and clicks a score.
    const browser = new Browser(env.app.url);
    expect((await browser.fetch('/demo/mail')).status).toBe(303);
    await browser.signIn(env.adminToken);
    expect(await (await browser.fetch('/demo/mail')).text()).toContain(`/demo/mail/${mail.file}`);
    const shown = await (await browser.fetch(`/demo/mail/${encodeURIComponent(mail.file)}`)).text();
    const link = /<a href="(http[^"]+)\?score=9">/.exec(shown)?.[1];
    expect(link).toBeDefined();
    const target = link!.replace(env.config.publicBaseUrl, env.app.url);
    expect((await fetch(`${target}?score=9`)).status).toBe(200);
    const answered = await fetch(target, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'score=9&comment=%3Cb%3ESmooth%3C%2Fb%3E',
    });
    expect(answered.status).toBe(303);

    // HubSpot (the sandbox) now holds the properties and the follow-up task; the control page shows both.
    await waitFor(
      'nps_score on the contact',
      () => env.sandbox.crm.getContact(action.contact.id).properties.nps_score === '9',
      60_000,
    );
    const [task] = await waitFor(
      'the follow-up task',
      () => {
        const tasks = env.sandbox.crm.listTasks({ contactId: action.contact.id });
        return tasks.length > 0 ? tasks : undefined;
      },
      60_000,
    );
    const page = await (await fetch(`${env.sandbox.url()}/_control`)).text();
    expect(page).toContain(`Closed deal ${action.id}`);
    expect(page).toContain('<tr><th scope="row">nps_score</th><td>9</td></tr>');
    expect(page).toContain('<tr><th scope="row">nps_last_comment</th><td>&lt;b&gt;Smooth&lt;/b&gt;</td></tr>');
    const escaped = task!.properties.hs_task_subject!.replace(
      /[&<>"']/g,
      (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
    );
    expect(page).toContain(`<td>${escaped}</td><td>NOT_STARTED</td>`);
    expect(page).toContain(`href="${env.appUrl}/demo/card/${action.contact.id}"`);

    // What the CRM card shows, through the signed card API.
    const card = await waitFor(
      'the card to show the answer',
      async () => {
        const html = await (await browser.fetch(`/demo/card/${action.contact.id}`)).text();
        return html.includes('<p class="big promoter">9</p>') && html.includes('Open follow-ups (1)')
          ? html
          : undefined;
      },
      30_000,
    );
    expect(card).toContain('&lt;b&gt;Smooth&lt;/b&gt;');
    // The contact is now in its quiet period, so the buttons pick someone else.
    expect(
      (await env.sandbox.controlPanel.candidates('deal', { limit: 100 })).some(
        (c) => c.contactId === action.contact.id,
      ),
    ).toBe(false);
  }, 150_000);

  it('closes a ticket from the page’s form and shows what happened', async () => {
    const res = await fetch(`${env.sandbox.url()}/_control/close-ticket`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: env.sandbox.url() },
      body: '',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/_control');
    const [action] = env.sandbox.controlPanel.actions();
    expect(action).toMatchObject({ kind: 'ticket', toStage: '4', webhook: { status: 200, outcome: 'delivered' } });
    expect(await (await fetch(`${env.sandbox.url()}/_control`)).text()).toContain(`Closed ticket ${action!.id}`);
    await waitFor(
      'the ticket survey',
      async () => (await listCapturedMail(env.mailDir)).some((m) => m.to === action!.contact.email),
      60_000,
    );
  }, 90_000);

  it('refuses a click posted from another site', async () => {
    const res = await fetch(`${env.sandbox.url()}/_control/close-deal`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
  });
});
