import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { useNockedServer } from '../helpers/nocked-server';
import { aContact, anInvitation, aResponse } from '../factories';
import { Browser } from './dashboard-http';
import { atRiskSql } from '../../src/insights/movers.repo';
import { scoreChange } from '../../src/responses/score-change.rules';
import { PERIOD, PORTAL, nockOwners, seedFixture } from './insights-fixture';

// Follow-up answers and score changes in the dashboard, its JSON API and the CSV export, over the insights fixture
// plus one contact (5) who answered a follow-up question. In June (PERIOD) each fixture contact's latest answer
// follows an earlier one: Ada 10 → 6 (promoter to detractor), Bo 9 → 8, Cy 4 → 3, Di 10 → 7 (−3); contact 5
// goes 3 → 9.

const ADMIN = 'test-admin-token-0123456789';
const clock = fixedClock('2026-07-01T12:00:00Z');
const QUESTION = 'What should we do first?';

const s = useNockedServer({
  env: { RUN_WORKERS: 'false' },
  start: { clock },
  before: () => nockOwners(),
  seed: async ({ deps: { db } }) => {
    await seedFixture(db);
    await aContact(db, PORTAL, {
      contactId: 5,
      email: 'eve@example.com',
      firstname: 'Eve',
      lastname: '<i>Evans</i>',
      ownerId: '11',
      companyId: 502,
      language: 'en',
    });
    await aResponse(db, {
      portalId: PORTAL,
      contactId: 5,
      score: 3,
      trigger: 'relationship',
      ownerId: '11',
      companyId: 502,
      answeredAt: new Date('2026-04-01T10:00:00Z'),
    });
    const invitation = await anInvitation(db, {
      portalId: PORTAL,
      contactId: 5,
      trigger: 'relationship',
      milestoneKey: 'relationship:5:2026-06',
      followUpQuestion: QUESTION,
      status: 'answered',
      scheduledFor: new Date('2026-06-17T09:00:00Z'),
      sentAt: new Date('2026-06-17T09:00:00Z'),
      answeredAt: new Date('2026-06-18T10:00:00Z'),
    });
    await aResponse(db, {
      portalId: PORTAL,
      contactId: 5,
      invitationId: invitation.id,
      score: 9,
      comment: null,
      followUpAnswer: '=Faster invoices <script>',
      trigger: 'relationship',
      ownerId: '11',
      companyId: 502,
      language: 'en',
      answeredAt: new Date('2026-06-18T10:00:00Z'),
    });
  },
});
const get = (path: string) => fetch(`${s().url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
const june = `from=${PERIOD.from}&to=${PERIOD.to}`;

describe('follow-up answers in the dashboard', () => {
  it('the comments API lists an answer that has only a follow-up answer, with its question', async () => {
    const body = await (await get(`/api/insights/comments?${june}`)).json();
    const eve = body.comments.find((c: { contact: { id: string } }) => c.contact.id === '5');
    expect(eve).toMatchObject({
      score: 9,
      comment: null,
      followUp: { question: QUESTION, answer: '=Faster invoices <script>' },
    });
  });

  it('the search finds words of a follow-up answer as well as of a comment', async () => {
    const found = async (q: string) =>
      (await (await get(`/api/insights/comments?${june}&q=${encodeURIComponent(q)}`)).json()).comments.map(
        (c: { contact: { id: string } }) => c.contact.id,
      );
    expect(await found('faster invoices')).toEqual(['5']);
    expect(await found('slow_reply')).toEqual(['1']);
    expect(await found('no such words')).toEqual([]);
  });

  it('the CSV export carries the follow-up question and answer, neutralised against formulas', async () => {
    const text = await (await get(`/api/insights/export.csv?${june}&q=invoices`)).text();
    const [header, row] = text.trim().split('\r\n');
    const columns = header!.split(',');
    expect(columns.slice(4, 7)).toEqual(['comment', 'follow_up_question', 'follow_up_answer']);
    expect(row!.split(',').slice(4, 7)).toEqual(['', QUESTION, `'=Faster invoices <script>`]);
  });

  it('the dashboard shows the follow-up answer under the comments, escaped', async () => {
    const b = new Browser(s().url);
    await b.signIn(ADMIN);
    const html = await (await b.fetch(`/dashboard?${june}&q=invoices`)).text();
    const comments = html.slice(html.indexOf('id="comments"'));
    expect(comments).toContain(
      `<p class="follow-up"><span class="question">${QUESTION}</span> =Faster invoices &lt;script&gt;</p>`,
    );
    expect(html).not.toContain('<script>');
  });
});

describe('movers', () => {
  it('the database applies the same at-risk rule as score-change.rules.ts, for every pair of scores', async () => {
    const r = await s().deps.db.query<{ prev: number; cur: number; at_risk: boolean }>(
      `SELECT prev, cur, ${atRiskSql('prev', 'cur')} AS at_risk
         FROM generate_series(0, 10) prev CROSS JOIN generate_series(0, 10) cur`,
    );
    expect(r.rows).toHaveLength(121);
    for (const row of r.rows)
      expect([row.prev, row.cur, row.at_risk]).toEqual([row.prev, row.cur, scoreChange(row.cur, row.prev).atRisk]);
  });

  it('lists who moved, at-risk people first, with the net movement per segment', async () => {
    const res = await get(`/api/insights/movers?${june}&segment=owner`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.totals).toEqual({
      compared: 5,
      improved: 1,
      declined: 4,
      unchanged: 0,
      atRisk: 2,
      net: -3,
      points: -4 - 1 - 1 - 3 + 6,
    });
    expect(
      body.movers.map((m: { contactId: string; change: number; atRisk: boolean }) => [m.contactId, m.change, m.atRisk]),
    ).toEqual([
      ['1', -4, true],
      ['4', -3, true],
      ['2', -1, false],
      ['3', -1, false],
      ['5', 6, false],
    ]);
    expect(body.movers[0]).toMatchObject({
      name: 'Ada Lovelace',
      score: 6,
      previousScore: 10,
      direction: 'down',
      segment: { value: '11', label: 'Ines Ito' },
    });
    // Owner 11: Ada, Bo down, Eve up → net −1; owner 22: Cy, Di down → net −2 (listed first).
    expect(
      body.segments.map((x: { label: string; net: number; atRisk: number }) => [x.label, x.net, x.atRisk]),
    ).toEqual([
      ['Omar Oduya', -2, 1],
      ['Ines Ito', -1, 1],
    ]);
  });

  it('refuses an unknown segment and a mode (movers compare people, there is no "all answers")', async () => {
    for (const [q, message] of [
      ['segment=colour', 'unknown segment "colour"'],
      ['mode=all', 'unknown filter "mode"'],
    ]) {
      const res = await get(`/api/insights/movers?${q}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain(message);
    }
  });

  it('the dashboard has a movers panel, with names escaped', async () => {
    const b = new Browser(s().url);
    await b.signIn(ADMIN);
    const html = await (await b.fetch(`/dashboard?${june}&split=owner`)).text();
    const panel = html.slice(html.indexOf('id="movers"'), html.indexOf('</section>', html.indexOf('id="movers"')));
    expect(panel).toContain('1 up · 4 down · 0 unchanged');
    expect(panel).toContain('Cy &lt;b&gt;Bold&lt;/b&gt;');
    expect(panel).toContain('Eve &lt;i&gt;Evans&lt;/i&gt;');
    expect(panel).toContain('<caption>Net movement by owner</caption>');
    expect(panel).not.toContain('<b>');
  });
});
