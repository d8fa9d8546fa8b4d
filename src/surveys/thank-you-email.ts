import { categoryOf, createSurveyToken, unsubscribeUrl, type AppDeps } from '../core';
import { defineOutboxKind, type BatchOutcome, type DrainContext, type OutboxItem } from '../outbox';
import { reviewLinkPath, reviewSitesOf } from '../reviews';
import { normaliseLanguage } from './i18n';
import { createMailer, isPermanentMailFailure } from './mailer';
import { loadThankYouEmailSources, type ThankYouEmailSource } from './thank-you-email.repo';
import { renderThankYouEmail } from './thank-you-email.view';

// The optional thank-you email (settings: thankYou.email). The survey page marks 'thank-you-email' <invitationId>
// when an invitation gets its first answer while the setting is on (a changed answer sends nothing more); the drain
// sends it if the setting is still on when it runs, retrying with backoff while the mail server is unwell. The same Message-ID on every
// try lets mail systems drop a duplicate should a send be retried after it landed.

const LINK_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

export const thankYouEmailOutbox = defineOutboxKind({
  kind: 'thank-you-email',
  queue: 'surveys.thank-you-email',
  batchSize: 20,
  itemsPerPass: 200,
  handle: sendThankYouEmails,
});

async function sendThankYouEmails(ctx: DrainContext, items: OutboxItem[]): Promise<BatchOutcome> {
  const sources = await loadThankYouEmailSources(
    ctx.deps.db,
    ctx.portalId,
    items.map((i) => i.key),
  );
  const mailer = createMailer(ctx.deps.config, ctx.deps.mailTransport);
  const out: Required<Omit<BatchOutcome, 'landed'>> = { done: [], failed: [], counts: { sent: 0, skipped: 0 } };
  for (const item of items) {
    const source = sources.get(item.key);
    if (!source || !source.settings.thankYou.email || !source.email || source.unreachable) {
      out.done.push(item);
      out.counts.skipped!++;
      continue;
    }
    try {
      await mailer.send(thankYouEmail(ctx.deps, ctx.portalId, source), ctx.now);
      out.done.push(item);
      out.counts.sent!++;
    } catch (err) {
      ctx.log.warn({ invitationId: item.key, err: (err as Error).message }, 'thank-you email not sent');
      out.failed.push({ item, reason: (err as Error).message, rejected: isPermanentMailFailure(err) });
    }
  }
  return out;
}

function thankYouEmail(deps: Pick<AppDeps, 'config'>, portalId: number, s: ThankYouEmailSource) {
  const lang = normaliseLanguage(s.language ?? s.contactLanguage, s.settings.defaultLanguage);
  const payload = {
    portalId,
    invitationId: s.invitationId,
    expiresAt: s.expiresAt ?? new Date(Date.now() + LINK_DAYS_MS),
  };
  const token = createSurveyToken(deps.config.surveySigningKey, payload);
  return renderThankYouEmail({
    lang,
    brand: s.settings.brand,
    mailFrom: deps.config.mailFrom,
    to: { email: s.email!, firstname: s.firstname },
    invitationId: s.invitationId,
    score: s.score,
    category: categoryOf(s.score),
    reviewLinks: reviewSitesOf(s.settings).map((site, i) => ({
      name: site.name,
      url: `${deps.config.publicBaseUrl}${reviewLinkPath(token, i)}`,
    })),
    unsubscribeLink: unsubscribeUrl(deps.config, payload),
  });
}
