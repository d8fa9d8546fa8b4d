import { runFullSync } from '../../contacts';
import { surveyUrl } from '../../core/survey-links';
import { signV3 } from '../../shared/signature';
import { summariseContactCard, signedCurl } from './card';
import { insightsSummary } from '../../insights/summary';
import { seedHistory, type DemoEnvironment } from './environment';
import {
  answeredCompanyIds,
  contactNeverInvited,
  countInvitationsForObject,
  countMilestoneInvitations,
  countPendingWebhookEvents,
  countScheduledInvitations,
  sentInvitationOfCallback,
  sentInvitations,
  skipCounts,
  type SentInvitation,
} from './demo.repo';
import { runControlPageCheck } from './control-page-check';
import { runEnpsWave } from './enps-check';
import { checkWebSurvey } from './web-app-check';
import { checkSms } from './sms-check';
import { runLoopChecks } from './loop-check';
import { hubspotView, listAll, listByName, listMembers, readObjects } from './readback';

// `npm run demo -- --check`: a scripted day in the life of the product, checked against what lands in the
// sandbox portal. Every step goes through the product's real edges: signed webhooks, the survey page, the
// workflow action, the card API, the insights API.

export interface CheckSummary {
  ok: boolean;
  failures: string[];
  [figure: string]: unknown;
}

const SCORES = [10, 9, 9, 8, 10, 7, 6, 9, 3, 10, 8, 9, 5, 10, 9, 2, 8, 10];
const COMMENTS: Record<string, string[]> = {
  promoter: ['Onboarding was smooth and the team is responsive.', 'The dashboards save us hours every week.'],
  passive: ['Good product, a few rough edges in reporting.', 'Fine overall, pricing could be clearer.'],
  detractor: [
    'Support took four days to answer. <b>Not acceptable</b>.',
    'The export keeps timing out on large accounts.',
  ],
};

async function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function runCheck(env: DemoEnvironment, log: (line: string) => void): Promise<CheckSummary> {
  const { sandbox, app, config, portalId } = env;
  const db = app.deps.db;
  const view = hubspotView(sandbox);
  const failures: string[] = [];
  const expect = (ok: boolean, message: string) => void (ok || failures.push(message));

  // 1. The adapter reaches the sandbox: a full contact sync.
  const sync = await runFullSync(app.deps, portalId);
  const seeded = sandbox.seedReport()?.counts.contacts ?? 0;
  log(`synced ${sync.processed} contacts through the adapter (sandbox has ${seeded})`);
  expect(sync.processed === seeded, `contact sync read ${sync.processed} of ${seeded} contacts`);

  // 2. Milestones: deals to closed-won and tickets to closed; HubSpot-style duplicate and reordered deliveries.
  sandbox.webhooks.configure({ duplicateRate: 0.5, reorder: true, seed: 11 });
  const deals = (await listAll(view, 'deals', ['dealstage', 'pipeline'])).filter(
    (d) => d.properties.pipeline === 'default' && !['closedwon', 'closedlost'].includes(d.properties.dealstage ?? ''),
  );
  const tickets = (await listAll(view, 'tickets', ['hs_pipeline_stage'])).filter(
    (t) => t.properties.hs_pipeline_stage !== '4',
  );
  const movedDeals = deals.slice(0, 12);
  const movedTickets = tickets.slice(0, 6);
  for (const d of movedDeals) sandbox.crm.moveDealToStage(d.id, 'closedwon');
  for (const t of movedTickets) sandbox.crm.moveTicketToStage(t.id, '4');
  // A deal that bounces out of closed-won and back must not be surveyed twice.
  if (movedDeals[0]) {
    sandbox.crm.moveDealToStage(movedDeals[0].id, 'contractsent');
    sandbox.crm.moveDealToStage(movedDeals[0].id, 'closedwon');
  }
  await sandbox.webhooks.flush(30_000);
  sandbox.webhooks.configure({ duplicateRate: 0, reorder: false });
  const deliveries = sandbox.webhooks.deliveries();
  log(`sandbox delivered ${deliveries.length} signed webhook requests (some duplicated, some reordered)`);
  await until('webhook events to be processed', async () => (await countPendingWebhookEvents(db)) === 0);
  const milestoneInvitations = await until('invitations for the milestones', async () => {
    const n = await countMilestoneInvitations(db);
    return n > 0 ? n : undefined;
  });
  await until('scheduled surveys to go out', async () => (await countScheduledInvitations(db)) === 0);
  const perDeal = await countInvitationsForObject(db, movedDeals[0]?.id ?? 0);
  expect(perDeal <= 1, `the deal that moved back and forth has ${perDeal} invitations`);

  const sent = await sentInvitations(db);
  const skips = await skipCounts(db);
  const metrics = await app.deps.metrics.registry.getSingleMetricAsString('nps_webhook_events_total');
  const duplicateDeliveries = Number(/outcome="duplicate"} (\d+)/.exec(metrics)?.[1] ?? 0);
  log(
    `${milestoneInvitations} milestone invitations: ${sent.length} emails sent, skips ${JSON.stringify(skips)}, ${duplicateDeliveries} duplicate events suppressed`,
  );
  expect(sent.length > 0, 'no survey email was sent');

  // 3. Respondents answer through the real survey page (a POST; the GET alone records nothing).
  const answers: Array<{ contactId: string; score: number }> = [];
  let promoterInvitation: SentInvitation | undefined;
  for (const [i, inv] of sent.entries()) {
    const score = SCORES[i % SCORES.length]!;
    if (score >= 9) promoterInvitation ??= inv;
    const category = score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
    const url = surveyUrl(config, { portalId, invitationId: inv.id, expiresAt: inv.expiresAt }, score);
    const target = url.replace(config.publicBaseUrl, app.url).replace(/\?.*$/, '');
    const page = await fetch(url.replace(config.publicBaseUrl, app.url));
    expect(page.status === 200, `survey page answered ${page.status}`);
    const res = await fetch(target, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ score: String(score), comment: COMMENTS[category]![i % 2]! }).toString(),
    });
    expect(res.status < 400, `survey POST answered ${res.status}`);
    answers.push({ contactId: inv.contactId, score });
  }
  log(`${answers.length} respondents answered on the survey page`);

  // 3b. The newcomer's click on the sandbox control page (control-page-check.ts).
  const controlPage = await runControlPageCheck(env, until, expect, log);
  if (controlPage) answers.push({ contactId: controlPage, score: 10 });

  // 3c. The in-app web survey, as the sample customer web app uses it.
  const webSurvey = await checkWebSurvey(env, expect, log);
  if (webSurvey) answers.push(webSurvey);

  // 4. A HubSpot workflow runs the "Send NPS survey" action and waits for the answer.
  const enrolled = await contactNeverInvited(db, portalId);
  let callbacksCompleted = 0;
  if (enrolled) {
    const exec = await sandbox.workflowActions.execute({
      targetUrl: `${config.publicBaseUrl}/hubspot/workflow-actions/send-survey`,
      objectId: enrolled,
      inputFields: { survey_label: 'Quarterly check-in', wait_for_answer: 'true', max_wait_days: '7' },
    });
    const state = (exec.body as { outputFields?: { hs_execution_state?: string } } | null)?.outputFields
      ?.hs_execution_state;
    expect(state === 'BLOCK', `workflow action answered ${exec.status} ${JSON.stringify(exec.body)}`);
    const inv = await until('the workflow survey to be sent', async () =>
      sentInvitationOfCallback(db, exec.callbackId),
    );
    const url = surveyUrl(config, { portalId, invitationId: inv.id, expiresAt: inv.expiresAt });
    await fetch(url.replace(config.publicBaseUrl, app.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'score=9&comment=Great+quarter',
    });
    answers.push({ contactId: enrolled, score: 9 });
    await until('the workflow callback to complete', async () =>
      sandbox.callbacks.completed().some((c) => c.callbackId === exec.callbackId),
    );
    callbacksCompleted = sandbox.callbacks.completed().length;
    log(`workflow action blocked, the contact answered, callback ${exec.callbackId} completed`);
  }

  // 5. Read back from HubSpot: properties, lists, tasks, company scores.
  const latest = new Map(answers.map((a) => [a.contactId, a.score]));
  let mismatched: string[] = [];
  const written = await until(
    'contact properties to be written back',
    async () => {
      const rows = await readObjects(view, 'contacts', [...latest.keys()], ['nps_score', 'nps_category']);
      mismatched = rows
        .filter((r) => Number(r.properties.nps_score) !== latest.get(r.id))
        .map((r) => `${r.id}: HubSpot has ${r.properties.nps_score ?? 'nothing'}, answered ${latest.get(r.id)}`);
      return mismatched.length === 0 && rows.length === latest.size ? rows : undefined;
    },
    90_000,
  ).catch(() => undefined);
  expect(
    Boolean(written),
    `contact properties did not converge to the latest answers (${mismatched.slice(0, 3).join('; ')})`,
  );
  const lists = await Promise.all(
    ['NPS Promoters', 'NPS Passives', 'NPS Detractors', 'NPS At risk'].map((n) => listByName(view, n)),
  );
  expect(lists.every(Boolean), 'segmentation lists are missing');
  const promoterList = lists[0] ? await listMembers(view, lists[0].listId) : [];
  const atRiskList = lists[3] ? await listMembers(view, lists[3].listId) : [];
  const tasks = await until(
    'follow-up tasks',
    async () => {
      const all = sandbox.crm.listTasks();
      return all.length >= answers.length ? all : undefined;
    },
    60_000,
  ).catch(() => sandbox.crm.listTasks());
  const tasksWithContact = tasks.filter((t) => (t.associations.contacts?.length ?? 0) > 0).length;
  const tasksWithDealOrTicket = tasks.filter(
    (t) => (t.associations.deals?.length ?? 0) + (t.associations.tickets?.length ?? 0) > 0,
  ).length;
  expect(
    tasksWithContact === tasks.length,
    `${tasks.length - tasksWithContact} tasks are not associated to their contact`,
  );
  expect(tasks.length === answers.length, `${tasks.length} follow-up tasks for ${answers.length} answers`);
  const companyIds = await answeredCompanyIds(db, portalId);
  const companies = await until(
    'company NPS rollups',
    async () => {
      const rows = await readObjects(view, 'companies', companyIds, ['nps_company_score', 'nps_company_respondents']);
      return rows.filter((r) => r.properties.nps_company_score != null && r.properties.nps_company_score !== '')
        .length === companyIds.length
        ? rows
        : undefined;
    },
    60_000,
  ).catch(() => []);
  expect(companies.length === companyIds.length, 'company NPS was not written for every answering company');

  // 5b. Closing the loop: detractor alerts to the owners, a promoter's review link (loop-check.ts).
  const detractorAnswers = answers.filter((a) => a.score <= 6).length;
  const loop = await runLoopChecks(env, promoterInvitation, detractorAnswers, until, expect, log);

  // 6. The CRM card, for one promoter and one detractor, through the signed card API.
  const card = async (contactId: string) => {
    const path = `/api/card/contacts/${contactId}?portalId=${portalId}`;
    const ts = Date.now();
    const res = await fetch(`${app.url}${path}`, {
      headers: {
        'x-hubspot-signature-v3': signV3(config.hubspot.clientSecret, 'GET', `${config.publicBaseUrl}${path}`, '', ts),
        'x-hubspot-request-timestamp': String(ts),
      },
    });
    expect(res.ok, `card API answered ${res.status} for contact ${contactId}`);
    return res.ok ? { summary: summariseContactCard(await res.json()), curl: signedCurl(config, path) } : undefined;
  };
  const promoter = answers.find((a) => a.score >= 9);
  const detractor = answers.find((a) => a.score <= 6);
  const cards = {
    promoter: promoter ? await card(promoter.contactId) : undefined,
    detractor: detractor ? await card(detractor.contactId) : undefined,
  };
  for (const [who, c] of Object.entries(cards)) if (c) log(`card (${who}): ${c.summary}\n  try it: ${c.curl}`);

  // 7. A survey by text through the local Twilio stand-in, its delivery callback and a reply with a number.
  const sms = await checkSms(env, log, expect);

  // 8. Insights over 12 months of seeded history plus today's answers: the API answers signed-in requests, and the
  // summary names the headline NPS with its margin and the segment furthest above the rest.
  const history = await seedHistory(env);
  log(`seeded 12 months of answer history for insights (${history.answers} answers)`);
  const api = await fetch(`${app.url}/api/insights/headline`, {
    headers: { authorization: `Bearer ${env.adminToken}` },
  });
  expect(api.ok, `/api/insights/headline answered ${api.status}`);
  const benchmark = api.ok ? ((await api.json()) as { benchmark?: { industry: string | null } }).benchmark : undefined;
  expect(benchmark?.industry === 'b2b-services', `the headline's benchmark is ${benchmark?.industry ?? 'missing'}`);
  const themes = await fetch(`${app.url}/api/themes/report`, {
    headers: { authorization: `Bearer ${env.adminToken}` },
  });
  const report = themes.ok
    ? ((await themes.json()) as { themes?: Array<{ name: string; byCategory: { detractor: { comments: number } } }> })
    : {};
  const talked = (report.themes ?? []).filter((t) => t.byCategory.detractor.comments > 0);
  expect(talked.length > 0, `/api/themes/report answered ${themes.status} with no theme among detractors' comments`);
  log(
    `comment themes: detractors talk about ${talked.map((t) => `${t.name} (${t.byCategory.detractor.comments})`).join(', ')}`,
  );
  const unsigned = await fetch(`${app.url}/api/insights/headline`);
  expect(unsigned.status === 401, `/api/insights/headline without sign-in answered ${unsigned.status}`);
  const insights = await insightsSummary(db, portalId, new Date());
  expect(insights.nps !== null && insights.n >= 30, `the headline has ${insights.n} answers`);
  log(
    `headline NPS ${insights.nps} ± ${insights.marginOfError} over ${insights.n} answers; top segment: ${insights.topSegment ? `${insights.topSegment.dimension} ${insights.topSegment.label} (NPS ${insights.topSegment.nps}, ${insights.topSegment.aboveRest} above the rest)` : 'none beats the noise'}`,
  );

  const enps = await runEnpsWave(env, log);
  expect(enps.n >= 5 && enps.enps !== null, `the eNPS wave shows ${enps.n} answers`);

  return {
    ok: failures.length === 0,
    failures,
    contactsSynced: sync.processed,
    webhookRequests: deliveries.length,
    milestoneInvitations,
    emailsSent: sent.length,
    skipsByReason: skips,
    duplicatesSuppressed: duplicateDeliveries,
    answers: answers.length,
    propertiesWritten: written?.length ?? 0,
    listsCreated: lists.filter(Boolean).length,
    promotersInList: promoterList.length,
    atRiskInList: atRiskList.length,
    alertsSent: loop.alertsSent,
    reviewClicks: loop.reviewClicks,
    reviewClickInHubSpot: loop.reviewClickInHubSpot,
    tasks: tasks.length,
    tasksWithContact,
    tasksWithDealOrTicket,
    companyScores: companies.length,
    workflowCallbacksCompleted: callbacksCompleted,
    webSurveyAnswered: Boolean(webSurvey),
    ...sms,
    controlPageSurvey: controlPage !== null,
    headline: { nps: insights.nps, marginOfError: insights.marginOfError, n: insights.n },
    enps,
    topSegment: insights.topSegment ? `${insights.topSegment.dimension}: ${insights.topSegment.label}` : null,
  };
}
