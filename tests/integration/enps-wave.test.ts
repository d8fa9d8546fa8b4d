import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useNockedServer, HUBSPOT } from '../helpers/nocked-server';
import { TEST_PORTAL_ID } from '../helpers/env';
import { DAY_MS, fixedClock } from '../../src/shared/clock';
import { drainPortal } from '../../src/outbox';
import { enpsMailOutbox, runEnpsCycle } from '../../src/enps';
import { aResponse } from '../factories';
import { Browser } from './dashboard-http';
import { enpsTokenOf, readEnpsTables } from './enps-db';

// A whole eNPS wave over HTTP against the real app, HubSpot faked at its HTTP boundary: the admin uploads the
// employee list and starts a wave, invitations go out through the outbox, people answer (and change their answer),
// the one reminder goes to those who did not, the wave closes, and results appear only for groups big enough.

const OPEN = new Date('2026-03-02T09:00:00Z');
const clock = fixedClock(OPEN);
const SALES = { id: '4100001', name: 'Sales', primary: true };
const SUPPORT = { id: '4100002', name: 'Support', primary: true };
const owner = (id: number, email: string, team: typeof SALES) => ({
  id: String(id),
  email,
  firstName: `User${id}`,
  userId: id,
  archived: false,
  teams: [team],
});
const OWNERS = [
  ...[1, 2, 3, 4, 5, 6].map((i) => owner(70 + i, `sales${i}@acme.test`, SALES)),
  ...[1, 2, 3].map((i) => owner(80 + i, `support${i}@acme.test`, SUPPORT)),
  { id: '99', email: '', firstName: 'NoMail', userId: 99, archived: false, teams: [SUPPORT] },
];
const CSV = `email,team,location,tenure,language
support4@acme.test,Support,Aarhus,1-2y,da
support5@acme.test,Support,Aarhus,<1y,
support6@acme.test,Support,Aarhus,2-5y,en
it1@acme.test,IT,Oslo,5y+,sv
it2@acme.test,IT,Oslo,5y+,de
`;

const s = useNockedServer({
  env: { RUN_WORKERS: 'false' },
  start: { clock },
  before: () => {
    nock(HUBSPOT).get('/crm/v3/owners').query(true).reply(200, { results: OWNERS }).persist();
  },
});

const answers = (rows: Awaited<ReturnType<typeof readEnpsTables>>) => rows.enps_answers;

async function drainMail(): Promise<void> {
  await drainPortal(s().deps, enpsMailOutbox, TEST_PORTAL_ID, { hold: 0 });
}

function mailTo(address: string, nth = 0): string {
  const mails = s().sentMail.filter((m) => m.to === address);
  const mail = mails[nth];
  if (!mail) throw new Error(`no mail number ${nth + 1} to ${address}`);
  return enpsTokenOf(mail.raw);
}

async function answer(token: string, score: number, why = '') {
  return fetch(`${s().url}/e/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ score: String(score), why }).toString(),
    redirect: 'manual',
  });
}

describe('an eNPS wave from invitation to results', () => {
  let browser: Browser;
  let csrf = '';
  const tokens = new Map<string, string>();

  it('reports a bad employee list by line and stores none of it', async () => {
    browser = new Browser(s().url);
    csrf = await browser.signIn(s().config.adminToken!);
    const res = await browser.form(
      '/dashboard/enps/employees',
      {
        _csrf: csrf,
        csv: 'email,team,tenure\nok@acme.test,Sales,1-2y\nnot-an-email,Sales,\nok@acme.test,IT,\nx@acme.test,IT,ten years\n',
      },
      { accept: 'application/json' },
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { bad: Array<{ line: number; reason: string }> };
    expect(body.bad.map((b) => b.line)).toEqual([3, 4, 5]);
    expect(body.bad[0]!.reason).toMatch(/not an email/);
    expect(body.bad[1]!.reason).toMatch(/already on line 2/);
    expect(body.bad[2]!.reason).toMatch(/tenure/);
    expect((await readEnpsTables(s().deps.db)).enps_employees).toHaveLength(0);
  });

  it('refuses a change without the CSRF token, and a wave that closes before it opens, naming the field', async () => {
    const noCsrf = await browser.form('/dashboard/enps/waves', { opensOn: '2026-03-02', closesOn: '2026-03-16' });
    expect(noCsrf.status).toBe(403);
    const inverted = await browser.form(
      '/dashboard/enps/waves',
      { _csrf: csrf, opensOn: '2026-03-10', closesOn: '2026-03-09' },
      { accept: 'application/json' },
    );
    expect(inverted.status).toBe(400);
    expect(((await inverted.json()) as { error: { message: string } }).error.message).toMatch(/closesOn/);
    const past = await browser.form(
      '/dashboard/enps/waves',
      { _csrf: csrf, opensOn: '2026-02-01', closesOn: '2026-03-09' },
      { accept: 'application/json' },
    );
    expect(past.status).toBe(400);
    expect((await readEnpsTables(s().deps.db)).enps_waves).toHaveLength(0);
  });

  it('takes a good list, and a wave an admin schedules opens with one invitation per person', async () => {
    const res = await browser.form('/dashboard/enps/employees', { _csrf: csrf, csv: CSV });
    expect(res.status).toBe(303);
    const put = await fetch(`${s().url}/api/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${s().config.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enps: { enabled: true, minGroupSize: 5 }, brand: { name: 'Acme' } }),
    });
    expect(put.status).toBe(200);
    const wave = await browser.form('/dashboard/enps/waves', {
      _csrf: csrf,
      opensOn: '2026-03-02',
      closesOn: '2026-03-16',
      breakdown: 'team',
      question1: 'What should we stop doing?',
    });
    expect(wave.status).toBe(303);

    const report = await runEnpsCycle(s().deps, TEST_PORTAL_ID);
    expect(report).toMatchObject({ opened: 1, invited: 14 });
    await drainMail();
    // 6 Sales + 3 Support HubSpot users (the one without an email is left out) + 5 from the list.
    expect(s().sentMail).toHaveLength(14);
    for (const m of s().sentMail) tokens.set(m.to, enpsTokenOf(m.raw));
    const danish = s().sentMail.find((m) => m.to === 'support4@acme.test')!;
    expect(danish.subject).toMatch(/Hvordan er det at arbejde hos Acme/);
  });

  it('shows the survey on a GET without recording anything', async () => {
    const res = await fetch(`${s().url}/e/${tokens.get('sales1@acme.test')}?score=9`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('How likely are you to recommend working at Acme');
    expect(html).toContain('What should we stop doing?');
    expect(html).toMatch(/id="score-9" value="9" required checked/);
    expect(answers(await readEnpsTables(s().deps.db))).toHaveLength(0);
  });

  it('records answers; the same link again replaces the answer without a new row', async () => {
    const scores: Array<[string, number]> = [
      ['sales1@acme.test', 3],
      ['sales2@acme.test', 10],
      ['sales3@acme.test', 10],
      ['sales4@acme.test', 9],
      ['sales5@acme.test', 8],
      ['support1@acme.test', 6],
      ['support2@acme.test', 9],
      ['support4@acme.test', 10],
      ['it1@acme.test', 2],
    ];
    for (const [email, score] of scores) {
      const res = await answer(tokens.get(email)!, score, `because ${score}`);
      expect(res.status).toBe(303);
    }
    const before = answers(await readEnpsTables(s().deps.db));
    expect(before).toHaveLength(9);
    const replaced = await answer(tokens.get('sales1@acme.test')!, 9, 'changed my mind');
    expect(replaced.status).toBe(303);
    const after = answers(await readEnpsTables(s().deps.db));
    expect(after).toHaveLength(9);
    expect(after.map((a) => a.score).sort()).toEqual([10, 10, 10, 2, 6, 8, 9, 9, 9].sort());
    expect(after.some((a) => a.why === 'because 3')).toBe(false);
    expect(after.every((a) => a.answered_on === '2026-03-02')).toBe(true);
  });

  it('refuses a bad form with a 400 naming the field, and a link it never issued with a 404', async () => {
    const bad = await answer(tokens.get('sales6@acme.test')!, 11);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Choose a score from 0 to 10.');
    expect((await fetch(`${s().url}/e/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await fetch(`${s().url}/e/short`)).status).toBe(404);
    expect(answers(await readEnpsTables(s().deps.db))).toHaveLength(9);
  });

  it('shows no results while the wave is open, only how many answered', async () => {
    const html = await (await browser.fetch('/dashboard/enps')).text();
    expect(html).toContain('9 of 14 answered');
    expect(html).not.toContain('id="enps-value"');
  });

  it('sends the one reminder only to those who have not answered; their old link then cannot add a second answer', async () => {
    clock.set(new Date(OPEN.getTime() + 7 * DAY_MS));
    expect(await runEnpsCycle(s().deps, TEST_PORTAL_ID)).toMatchObject({ reminded: 1 });
    const sentBefore = s().sentMail.length;
    await drainMail();
    const reminders = s().sentMail.slice(sentBefore);
    expect(reminders.map((m) => m.to).sort()).toEqual(
      ['sales6@acme.test', 'support3@acme.test', 'support5@acme.test', 'support6@acme.test', 'it2@acme.test'].sort(),
    );
    expect(await runEnpsCycle(s().deps, TEST_PORTAL_ID)).toMatchObject({ reminded: 0 });

    const reminderToken = mailTo('support5@acme.test', 1);
    expect(reminderToken).not.toBe(tokens.get('support5@acme.test'));
    expect((await answer(reminderToken, 7)).status).toBe(303);
    const old = await answer(tokens.get('support5@acme.test')!, 0);
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('already answered with the link from your other email');
    expect(answers(await readEnpsTables(s().deps.db))).toHaveLength(10);
  });

  it('closes on its closing day: no emails or tokens of the wave remain, answers are rewritten without keys', async () => {
    const open = await readEnpsTables(s().deps.db);
    const answerIdsBefore = new Set(open.enps_answers.map((a) => a.id));
    clock.set(new Date('2026-03-16T06:00:00Z'));
    expect(await runEnpsCycle(s().deps, TEST_PORTAL_ID)).toMatchObject({ closed: 1 });
    const closed = await readEnpsTables(s().deps.db);
    expect(closed.enps_invitations).toHaveLength(0);
    expect(closed.enps_tokens.every((t) => t.invitation_id === null)).toBe(true);
    expect(closed.enps_answers).toHaveLength(10);
    expect(closed.enps_answers.every((a) => a.answer_key === null)).toBe(true);
    expect(closed.enps_answers.some((a) => answerIdsBefore.has(a.id))).toBe(false);
    expect(closed.enps_waves[0]).toMatchObject({ status: 'closed', invited: 14, answered: 10, min_group: 5 });
  });

  it('answers a link of the closed wave with a friendly 410 and records nothing', async () => {
    const res = await answer(tokens.get('sales6@acme.test')!, 9);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('This survey has closed');
    expect(answers(await readEnpsTables(s().deps.db))).toHaveLength(10);
  });

  it('shows eNPS ± margin, only the teams big enough, comments without names, and customer NPS per team', async () => {
    for (const [i, score] of [10, 9, 9, 10, 6].entries())
      await aResponse(s().deps.db, {
        portalId: TEST_PORTAL_ID,
        contactId: 500 + i,
        score,
        ownerId: String(71 + i),
        answeredAt: new Date('2026-03-01T10:00:00Z'),
      });
    // Two weeks passed: the morning's session has expired.
    browser = new Browser(s().url);
    await browser.signIn(s().config.adminToken!);
    const html = await (await browser.fetch('/dashboard/enps')).text();
    // Scores 9,10,10,9,8 (Sales) 6,9,10,7 (Support) 2 (IT): 6 promoters, 2 passives, 2 detractors of 10 → +40.
    expect(html).toMatch(/id="enps-value">\+40</);
    expect(html).toMatch(/id="enps-moe">± \d+/);
    expect(html).toContain('10 answers');
    // Stored: Sales (6 invited) keeps its name; IT (2) is too small, so Support joins it as "other". Shown: Sales
    // (5 answers) and Other (5).
    expect(html).toMatch(/<th scope="row">Sales<\/th><td>\+80<\/td><td>± \d+<\/td><td>5<\/td>/);
    expect(html).not.toMatch(/<th scope="row">(IT|Support)<\/th>/);
    expect(html).toMatch(
      /<th scope="row">Other \(smaller groups together\)<\/th><td>0<\/td><td>± \d+<\/td><td>5<\/td>/,
    );
    expect(html).toContain('changed my mind');
    expect(html).not.toMatch(/@acme\.test/);
    expect(html).toContain('Happy team, happy customers');
    expect(html).toMatch(/<th scope="row">Sales<\/th><td>\+80 ± \d+<\/td><td>\+60/);
  });

  it('puts the eNPS tile on the TV view only when the setting asks for it', async () => {
    expect(await (await browser.fetch('/dashboard/tv')).text()).not.toContain('id="tv-enps"');
    const put = await fetch(`${s().url}/api/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${s().config.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enps: { enabled: true, minGroupSize: 5, tvTile: true }, brand: { name: 'Acme' } }),
    });
    expect(put.status).toBe(200);
    const tv = await (await browser.fetch('/dashboard/tv')).text();
    expect(tv).toMatch(/id="tv-enps">\+40</);
    expect(tv).toContain('10 answers, wave of 2026-03-02');
  });

  it('exports aggregates only', async () => {
    const res = await browser.fetch('/dashboard/enps/export.csv');
    expect(res.status).toBe(200);
    const csv = await res.text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('wave_opened,wave_closed,breakdown,group,answers,promoters,passives,detractors,enps,margin');
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual(['all', 'Sales', 'other']);
    expect(lines.slice(1).every((l) => Number(l.split(',')[4]) >= 5)).toBe(true);
    expect(csv).not.toMatch(/@|because|changed/);
  });
});
