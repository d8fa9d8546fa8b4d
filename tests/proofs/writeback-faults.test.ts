import { afterAll, describe, expect, it } from 'vitest';
import { createSurveyToken } from '../../src/core/survey-links';
import { TEST_PORTAL_ID } from '../helpers/env';
import { recordProof } from '../helpers/proof-report';
import { sized } from '../helpers/proof-size';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app';
import { waitFor } from '../helpers/wait';
import { anInvitation, someContacts } from '../factories';
import {
  expectedProperties,
  finalAnswers,
  latestSurvey,
  planPosts,
  ROUNDS,
  SURVEYS_PER_CONTACT,
  type PlannedPost,
} from './writeback-ledger';

// Answers written back to HubSpot while HubSpot misbehaves. The whole app runs against the local HubSpot sandbox,
// which fails 30% of API calls with 429 (HubSpot's TEN_SECONDLY_ROLLING body and headers), 500, 502 or 503, and
// goes down entirely (503 on every call) for a while in the middle. Respondents answer through the survey page
// (POST /s/:token, as a browser posts the form): every contact answers three surveys and then changes one answer.
// Once the app's own workers have drained the write-back, the sandbox must hold, for every contact, the
// properties of its latest answer, and exactly one follow-up task per answer showing that answer's final score.

const PORTAL = TEST_PORTAL_ID;
const CONTACTS = sized({ quick: 75, full: 2_500 });
const ANSWERS = CONTACTS * ROUNDS;
const OUTAGE_SECONDS = sized({ quick: 3, full: 60 });
const ERROR_RATE = 0.3;
/** Survey POSTs in flight at once. */
const IN_FLIGHT = 8;
const SEED = 18;
const WRITE_BACK_KINDS = ['contact-properties', 'follow-up'];
const MARKER = /nps-loop-follow-up:([0-9a-f-]{36})/;

describe('proof: write-back with HubSpot failing 30% of calls and an outage', () => {
  let rig: SandboxApp | undefined;
  afterAll(async () => rig?.close());

  it(`${ANSWERS} survey answers from ${CONTACTS} contacts, 30% of calls failing, a ${OUTAGE_SECONDS} s outage: nothing lost, no duplicate task, every contact shows its latest answer`, async () => {
    const started = Date.now();
    rig = await startSandboxApp({
      seed: { seed: 5, contacts: CONTACTS, companies: 0, deals: 0, tickets: 0, owners: 3 },
    });
    const { sandbox, server: app } = rig;
    const db = app.deps.db;
    const count = async (sql: string, params: unknown[] = []) =>
      Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);
    await waitFor(
      async () =>
        (await count('SELECT count(*) AS n FROM portals WHERE portal_id = $1 AND setup_completed_at IS NOT NULL', [
          PORTAL,
        ])) === 1,
      { timeoutMs: 60_000, what: 'portal setup (properties and lists in the sandbox)' },
    );

    // The sandbox's contacts, mirrored; three open surveys each, with their signed links.
    const records = [...sandbox.portal(PORTAL).tables.contacts.all()].filter((c) => !c.archived);
    expect(records).toHaveLength(CONTACTS);
    for (let i = 0; i < records.length; i += 500) {
      await someContacts(
        db,
        PORTAL,
        records.slice(i, i + 500).map((c) => ({
          contactId: c.id,
          email: c.properties.email ?? null,
          firstname: c.properties.firstname ?? null,
          lastname: c.properties.lastname ?? null,
          ownerId: c.properties.hubspot_owner_id || null,
        })),
      );
    }
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 30 * 86_400_000);
    const tokens = new Map<string, string>();
    const invitationOf = new Map<string, string>();
    for (const c of records) {
      for (let k = 0; k < SURVEYS_PER_CONTACT; k++) {
        const inv = await anInvitation(db, {
          portalId: PORTAL,
          contactId: c.id,
          trigger: 'relationship',
          milestoneKey: `writeback-proof:${c.id}:${k}`,
          channel: 'email',
          status: 'sent',
          scheduledFor: now,
          sentAt: now,
          expiresAt,
        });
        tokens.set(
          `${c.id}:${k}`,
          createSurveyToken(app.config.surveySigningKey, { portalId: PORTAL, invitationId: inv.id, expiresAt }),
        );
        invitationOf.set(`${c.id}:${k}`, inv.id);
      }
    }
    const rounds = planPosts(
      records.map((c) => String(c.id)),
      SEED,
    );

    // The faults: from the first answer on, 30% of calls fail; after round 2, HubSpot goes down. Batching keeps
    // the calls few at the quick size, so the first two calls fail for sure (a 429 and a 502), then the dice roll.
    const before = sandbox.faults.state().injected;
    sandbox.faults.set({ errorRate: ERROR_RATE, errorStatuses: [429, 500, 502, 503], seed: SEED });
    sandbox.faults.failNext(1, 429);
    sandbox.faults.failNext(1, 502);
    const statuses = new Map<number, number>();
    const post = async (p: PlannedPost) => {
      const res = await fetch(`${app.url}/s/${tokens.get(`${p.contactId}:${p.survey}`)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ score: String(p.score), comment: p.comment }),
        redirect: 'manual',
      });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    };
    const postRound = async (posts: PlannedPost[]) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < posts.length) await post(posts[next++]!);
        }),
      );
    };
    const answersStarted = Date.now();
    for (const posts of rounds.slice(0, 2)) await postRound(posts);
    // The outage lasts OUTAGE_SECONDS, and in any case until it has refused a call (at the quick size the app
    // might otherwise not call HubSpot during a short window, and the run would test nothing).
    sandbox.faults.startOutage();
    const outageStarted = Date.now();
    const outageOver = (async () => {
      while (Date.now() < outageStarted + OUTAGE_SECONDS * 1000 || sandbox.faults.state().injected.outage === 0)
        await new Promise((r) => setTimeout(r, 100));
      sandbox.faults.endOutage();
      return Date.now();
    })();
    for (const posts of rounds.slice(2)) await postRound(posts);
    const answersDone = Date.now();
    const outageEnded = await outageOver;

    // Converged: the app's workers have nothing left to write back.
    const left = () =>
      count(`SELECT count(*) AS n FROM outbox WHERE portal_id = $1 AND kind = ANY($2::text[])`, [
        PORTAL,
        WRITE_BACK_KINDS,
      ]);
    await waitFor(async () => (await left()) === 0, {
      timeoutMs: sized({ quick: 180_000, full: 900_000 }),
      intervalMs: 250,
      what: 'the write-back outbox to drain',
    });
    const converged = Date.now();
    const after = sandbox.faults.state().injected;
    sandbox.faults.clear();

    // 1. Nothing lost: every survey holds its final answer in the database.
    const expected = finalAnswers(rounds);
    const stored = await db.query<{ invitation_id: string; score: number; comment: string | null; answered_at: Date }>(
      'SELECT invitation_id, score, comment, answered_at FROM responses WHERE portal_id = $1',
      [PORTAL],
    );
    const byInvitation = new Map(stored.rows.map((r) => [r.invitation_id, r]));
    const lost: string[] = [];
    for (const [contactId, answers] of expected) {
      answers.forEach((a, k) => {
        const row = byInvitation.get(invitationOf.get(`${contactId}:${k}`)!);
        if (!row || row.score !== a.score || row.comment !== a.comment)
          lost.push(
            `contact ${contactId} survey ${k}: stored ${row ? `${row.score} "${row.comment}"` : 'nothing'}, answered ${a.score} "${a.comment}"`,
          );
      });
    }

    // 2. Every contact's properties in the sandbox equal its latest answer.
    const mismatches: string[] = [];
    for (const [contactId, answers] of expected) {
      const got = sandbox.crm.getContact(contactId, { portalId: PORTAL }).properties;
      for (const [name, value] of Object.entries(expectedProperties(answers))) {
        if ((got[name] ?? '') !== value)
          mismatches.push(`contact ${contactId} ${name}: sandbox "${got[name] ?? ''}", latest answer "${value}"`);
      }
      const latest = byInvitation.get(invitationOf.get(`${contactId}:${latestSurvey(answers)}`)!);
      if (!latest || Date.parse(got.nps_last_response_at ?? '') !== new Date(latest.answered_at).getTime())
        mismatches.push(`contact ${contactId} nps_last_response_at: sandbox "${got.nps_last_response_at ?? ''}"`);
    }

    // 3. One task per answer (the follow-up rules: every category gets one), showing the answer's final score.
    const tasks = sandbox.crm.listTasks({ portalId: PORTAL });
    const tasksPerFollowUp = new Map<string, number>();
    for (const t of tasks) {
      const marker = MARKER.exec(t.properties.hs_task_body ?? '')?.[1] ?? 'none';
      tasksPerFollowUp.set(marker, (tasksPerFollowUp.get(marker) ?? 0) + 1);
    }
    const duplicates = [...tasksPerFollowUp.entries()].filter(([m, n]) => m === 'none' || n > 1).length;
    const followUps = await db.query<{ id: string; invitation_id: string; hubspot_task_id: string | null }>(
      `SELECT f.id, r.invitation_id, f.hubspot_task_id FROM follow_ups f JOIN responses r ON r.id = f.response_id
        WHERE r.portal_id = $1`,
      [PORTAL],
    );
    const taskById = new Map(tasks.map((t) => [String(t.id), t]));
    const scoreOfInvitation = new Map<string, number>();
    for (const [contactId, answers] of expected)
      answers.forEach((a, k) => scoreOfInvitation.set(invitationOf.get(`${contactId}:${k}`)!, a.score));
    const taskMismatches: string[] = [];
    for (const f of followUps.rows) {
      const task = f.hubspot_task_id ? taskById.get(String(f.hubspot_task_id)) : undefined;
      const score = scoreOfInvitation.get(f.invitation_id);
      if (!task) taskMismatches.push(`follow-up ${f.id}: no task in the sandbox`);
      else if (!(task.properties.hs_task_subject ?? '').includes(`NPS ${score}`))
        taskMismatches.push(`task ${task.id}: "${task.properties.hs_task_subject}", final score ${score}`);
    }

    const refused = [...statuses.entries()].filter(([s]) => s !== 303);
    const figures = {
      contacts: CONTACTS,
      answers: ANSWERS,
      answersPerSecond: Math.round(ANSWERS / ((answersDone - answersStarted) / 1000)),
      responses: stored.rows.length,
      hubspotCalls: after.calls - before.calls,
      failedCalls: after.errors - before.errors + (after.outage - before.outage),
      failedOutsideOutage: after.errors - before.errors,
      refusedInOutage: after.outage - before.outage,
      outageSeconds: Math.round((outageEnded - outageStarted) / 100) / 10,
      convergeSecondsAfterOutage: Math.round((converged - Math.max(answersDone, outageEnded)) / 100) / 10,
      tasks: tasks.length,
      answersLost: lost.length,
      duplicateTasks: duplicates,
      propertyMismatches: mismatches.length,
      taskMismatches: taskMismatches.length,
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    const pass =
      refused.length === 0 &&
      lost.length === 0 &&
      stored.rows.length === CONTACTS * SURVEYS_PER_CONTACT &&
      mismatches.length === 0 &&
      duplicates === 0 &&
      taskMismatches.length === 0 &&
      followUps.rows.length === stored.rows.length &&
      tasks.length === stored.rows.length;
    recordProof({
      proof: 'write-back with 30% of HubSpot calls failing and an outage',
      passWhen:
        "0 answers lost, 0 duplicate tasks, every contact's properties equal its latest answer, every task its answer's final score",
      pass,
      figures,
    });
    expect(refused).toEqual([]);
    expect(lost).toEqual([]);
    expect(stored.rows).toHaveLength(CONTACTS * SURVEYS_PER_CONTACT);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(duplicates).toBe(0);
    expect(taskMismatches.slice(0, 10)).toEqual([]);
    expect(followUps.rows).toHaveLength(stored.rows.length);
    expect(tasks).toHaveLength(stored.rows.length);
    // The faults really happened: random failures throughout, and the outage refused calls.
    expect(figures.failedOutsideOutage).toBeGreaterThanOrEqual(2);
    expect(figures.refusedInOutage).toBeGreaterThan(0);
  }, 1_800_000);
});
