import { afterAll, describe, expect, it } from 'vitest';
import { categoryOf } from '../../src/core/nps';
import { TEST_DATABASE_URL } from '../helpers/env';
import { sized } from '../helpers/proof-size';
import { recordProof } from '../helpers/proof-report';
import { waitFor } from '../helpers/wait';
import { PORTAL_ID, startCopies, type CopiesRig } from './many-copies-rig';

// Copies of the app side by side on one Postgres: full copies (web + workers) and a web-only copy
// (RUN_WORKERS=false) behind one load balancer. A wave of surveys arrives at once, most from deals won (HubSpot's
// webhooks, spread over the copies by the balancer), some from the "Send NPS survey" workflow action; then every
// respondent answers, each answer posted to the next copy in turn, the web-only one included. Every survey must be
// mailed once, every answer must open one task and set the contact's NPS properties, every blocked workflow must be
// resumed once, and the copies together must stay under the portal's HubSpot limit: the sandbox counts the limit
// per portal across every token, and each copy calls with a token of its own.

const FULL_COPIES = sized({ quick: 2, full: 3 });
const WEB_ONLY_COPIES = 1;
const SURVEYS = sized({ quick: 60, full: 2000 });
/** About one survey in seven comes from the workflow action, whose callbacks are counted. */
const WORKFLOW_SURVEYS = Math.round(SURVEYS * 0.15);
const DEAL_SURVEYS = SURVEYS - WORKFLOW_SURVEYS;
const IN_FLIGHT = 10;
const MAX_429_SHARE = 0.01;
const needsPostgres = 'needs Postgres: set DATABASE_URL (PGlite cannot be shared between processes)';

/** Runs `work` over `items` with at most IN_FLIGHT at once. */
async function inFlight<T>(items: T[], work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

describe.skipIf(!TEST_DATABASE_URL)(`proof: many app copies on one Postgres (${needsPostgres})`, () => {
  let rig: CopiesRig | undefined;
  afterAll(async () => rig?.close());

  it(
    `${FULL_COPIES} full copies + ${WEB_ONLY_COPIES} web-only, ${SURVEYS} surveys and answers: each survey, task and workflow callback once; ≤ 1% of HubSpot calls answered 429`,
    async () => {
      const started = Date.now();
      rig = await startCopies({
        databaseUrl: TEST_DATABASE_URL!,
        fullCopies: FULL_COPIES,
        webOnlyCopies: WEB_ONLY_COPIES,
      });
      const { sandbox, smtp, balancer, copies } = rig;
      const crm = sandbox.crm;
      const startupMs = Date.now() - started;

      // One contact per survey; the deal contacts each on a deal of their own, created before webhooks are on.
      const contacts = Array.from({ length: SURVEYS }, (_, i) =>
        crm.createContact({ email: `copy${i}@example.com`, firstname: `Copy${i}` }, { portalId: PORTAL_ID }),
      );
      const deals = contacts.slice(0, DEAL_SURVEYS).map(
        (contact, i) =>
          crm.createRecord(
            'deals',
            { dealname: `Copies deal ${i}`, pipeline: 'default', dealstage: 'contractsent' },
            {
              portalId: PORTAL_ID,
              associations: [
                { to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] },
              ],
            },
          ).id,
      );
      const workflowContacts = contacts.slice(DEAL_SURVEYS);
      const emailOf = new Map(contacts.map((c) => [c.properties.email!, c.id]));
      sandbox.rateLimits.reset();
      const wave = Date.now();

      // The wave: every deal won at once, and the workflow enrolling its contacts through the balancer meanwhile.
      sandbox.webhooks.configure({ targetUrl: `${balancer.url}/webhooks/hubspot` });
      for (const id of deals) crm.moveDealToStage(id, 'closedwon', { portalId: PORTAL_ID });
      const callbackIds: string[] = [];
      await inFlight(workflowContacts, async (contact) => {
        const executed = await sandbox.workflowActions.execute({
          targetUrl: `${balancer.url}/hubspot/workflow-actions/send-survey`,
          portalId: PORTAL_ID,
          objectId: contact.id,
          properties: ['email'],
          inputFields: { survey_label: 'Copies', wait_for_answer: true, max_wait_days: 10 },
          retry: { attempts: 5, delayMs: 500 },
        });
        expect(executed.status).toBe(200);
        callbackIds.push(executed.callbackId);
      });
      await sandbox.webhooks.flush(120_000);

      const recipients = () => new Set(smtp.received.flatMap((m) => m.to.map((t) => t.toLowerCase())));
      await waitFor(() => recipients().size >= SURVEYS, {
        timeoutMs: sized({ quick: 60_000, full: 1_200_000 }),
        intervalMs: 500,
        what: () => `${SURVEYS} survey emails (got ${recipients().size})`,
      });
      const mailedMs = Date.now() - wave;

      // Every respondent answers from their email's link, each POST to the next copy in turn.
      const scoreOf = new Map<string, number>();
      const answeredBy = copies.map(() => 0);
      const mails = [...smtp.received];
      await inFlight(mails, async (mail, i) => {
        const contactId = emailOf.get(mail.to[0]!.toLowerCase())!;
        const link = /href="[^"]*?(\/s\/[^"?]+)\?score=\d+"/.exec(mail.mail.html ?? '')?.[1];
        expect(link, `a survey link in the mail to ${mail.to[0]}`).toBeDefined();
        const score = i % 11;
        scoreOf.set(contactId, score);
        const copy = i % copies.length;
        const res = await fetch(`${copies[copy]!.url}${link}`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `score=${score}&comment=${encodeURIComponent(`answer ${i}`)}`,
        });
        await res.arrayBuffer();
        expect(res.status).toBe(303);
        answeredBy[copy]!++;
      });

      const npsSet = () =>
        [...scoreOf].filter(
          ([id, score]) => crm.getContact(id, { portalId: PORTAL_ID }).properties.nps_score === String(score),
        ).length;
      const taskCount = () => [...sandbox.portal(PORTAL_ID).tables.tasks.all()].length;
      const completed = () => sandbox.callbacks.completed().length;
      await waitFor(() => npsSet() === SURVEYS && taskCount() >= SURVEYS && completed() >= WORKFLOW_SURVEYS, {
        timeoutMs: sized({ quick: 60_000, full: 1_200_000 }),
        intervalMs: 1000,
        what: () =>
          `NPS properties ${npsSet()}/${SURVEYS}, tasks ${taskCount()}/${SURVEYS}, callbacks ${completed()}/${WORKFLOW_SURVEYS}`,
      });
      const doneMs = Date.now() - wave;
      // A duplicate would come late (a retried job, a second copy taking the same work): give it time to show.
      await new Promise((r) => setTimeout(r, sized({ quick: 2000, full: 15_000 })));

      // Each survey mailed once.
      const mailsPer = new Map<string, number>();
      for (const m of smtp.received)
        for (const to of m.to) mailsPer.set(to.toLowerCase(), (mailsPer.get(to.toLowerCase()) ?? 0) + 1);
      expect(new Set(mailsPer.keys())).toEqual(new Set(emailOf.keys()));
      expect([...mailsPer].filter(([, n]) => n !== 1)).toEqual([]);
      // Each answer: its NPS properties on the contact and one follow-up task (every category opens one by default).
      const tasksPer = new Map<string, number>();
      for (const task of crm.listTasks({ portalId: PORTAL_ID }))
        for (const c of task.associations.contacts ?? []) tasksPer.set(c.id, (tasksPer.get(c.id) ?? 0) + 1);
      expect([...scoreOf.keys()].filter((id) => tasksPer.get(id) !== 1)).toEqual([]);
      expect(taskCount()).toBe(SURVEYS);
      for (const [id, score] of scoreOf) {
        const props = crm.getContact(id, { portalId: PORTAL_ID }).properties;
        expect({ id, score: props.nps_score, category: props.nps_category }).toEqual({
          id,
          score: String(score),
          category: categoryOf(score),
        });
      }
      // Each workflow execution resumed exactly once.
      const completions = sandbox.callbacks.completed();
      expect(completions.every((c) => c.known)).toBe(true);
      expect(completions.map((c) => c.callbackId).sort()).toEqual([...callbackIds].sort());
      // The copies together under the portal's limit.
      const limits = sandbox.rateLimits.stats();
      const calls = limits.accepted + limits.limited;
      const share429 = calls ? limits.limited / calls : 0;
      expect(answeredBy.every((n) => n > 0)).toBe(true);
      expect(share429).toBeLessThanOrEqual(MAX_429_SHARE);

      recordProof({
        proof: 'many app copies on one Postgres',
        passWhen:
          'every survey mailed once, one task and the NPS properties per answer, every workflow callback once, ≤ 1% of HubSpot calls answered 429',
        pass: true,
        figures: {
          copies: `${FULL_COPIES} full + ${WEB_ONLY_COPIES} web-only`,
          surveys: SURVEYS,
          'from workflow action': WORKFLOW_SURVEYS,
          'emails received': smtp.received.length,
          tasks: taskCount(),
          'workflow callbacks': completions.length,
          'HubSpot calls': calls,
          '429 answers': limits.limited,
          '429 share': `${(share429 * 100).toFixed(2)}%`,
          'answers per copy': answeredBy.join(' / '),
          'balancer requests per copy': balancer.served.join(' / '),
          'start-up (s)': (startupMs / 1000).toFixed(1),
          'wave → all mailed (s)': (mailedMs / 1000).toFixed(1),
          'wave → all done (s)': (doneMs / 1000).toFixed(1),
        },
      });
    },
    sized({ quick: 180_000, full: 3_000_000 }),
  );
});
