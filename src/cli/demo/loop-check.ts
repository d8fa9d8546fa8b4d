import { surveyUrl } from '../../core/survey-links';
import type { DemoEnvironment } from './environment';
import { countReviewClicks, ownerAlertCounts, type SentInvitation } from './demo.repo';
import { listCapturedMail } from './mail-folder';
import { hubspotView, readObjects } from './readback';

// The demo's close-the-loop checks: the detractor alerts reached the owners (the demo mail folder captures them),
// and a promoter's review link (GET /r/:token/:site) is followed, counted, and written back to the sandbox contact
// as nps_review_link_clicked_at.

export interface LoopFigures {
  /** Owner alert emails recorded as sent, and the alert mails found in the demo mail folder. */
  alertsSent: number;
  alertMails: number;
  reviewClicks: number;
  reviewClickInHubSpot: boolean;
}

type Until = <T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs?: number) => Promise<T>;

export async function runLoopChecks(
  env: DemoEnvironment,
  promoter: SentInvitation | undefined,
  detractors: number,
  until: Until,
  expect: (ok: boolean, message: string) => void,
  log: (line: string) => void,
): Promise<LoopFigures> {
  const { app, config, portalId } = env;
  const db = app.deps.db;

  // Alerts wait up to 15 s for the follow-up task they link to, then go out through the outbox.
  const alerts = await until(
    'detractor alerts to be sent',
    async () => {
      const c = await ownerAlertCounts(db, portalId);
      return c.planned > 0 && c.pending === 0 ? c : undefined;
    },
    90_000,
  ).catch(() => ownerAlertCounts(db, portalId));
  const alertMails = (await listCapturedMail(env.mailDir)).filter((m) => m.file.startsWith('alert.')).length;
  expect(detractors === 0 || alerts.sent > 0, `no detractor alert was sent for ${detractors} detractor answers`);
  expect(alerts.pending === 0, `${alerts.pending} alert items still in the outbox`);
  expect(alertMails === alerts.sent, `${alertMails} alert mails in the demo mail folder, ${alerts.sent} sent`);
  log(
    `detractor alerts: ${alerts.sent} emails to contact owners for ${detractors} detractor answers (${alerts.planned - alerts.sent} without an owner email)`,
  );

  let reviewClicks = 0;
  let reviewClickInHubSpot = false;
  expect(Boolean(promoter), 'no promoter answered, so no review link to click');
  if (promoter) {
    const token = new URL(
      surveyUrl(config, { portalId, invitationId: promoter.id, expiresAt: promoter.expiresAt }),
    ).pathname
      .split('/')
      .at(-1)!;
    const res = await fetch(`${app.url}/r/${token}/0`, { redirect: 'manual' });
    const target = res.headers.get('location') ?? '';
    expect(res.status === 302, `the review link answered ${res.status}`);
    reviewClicks = await countReviewClicks(db, portalId, promoter.id);
    expect(reviewClicks === 1, `the review click was counted ${reviewClicks} times`);
    const view = hubspotView(env.sandbox);
    reviewClickInHubSpot = await until(
      'nps_review_link_clicked_at in HubSpot',
      async () => {
        const rows = await readObjects(view, 'contacts', [promoter.contactId], ['nps_review_link_clicked_at']);
        return Boolean(rows[0]?.properties.nps_review_link_clicked_at);
      },
      60_000,
    ).catch(() => false);
    expect(reviewClickInHubSpot, `nps_review_link_clicked_at did not reach contact ${promoter.contactId}`);
    log(
      `review link: contact ${promoter.contactId} followed it to ${target}; ${reviewClicks} click counted, ${reviewClickInHubSpot ? 'nps_review_link_clicked_at is in HubSpot' : 'not in HubSpot'}`,
    );
  }
  return { alertsSent: alerts.sent, alertMails, reviewClicks, reviewClickInHubSpot };
}
