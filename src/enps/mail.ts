import type { AppDeps, Settings } from '../core';
import { getSettings } from '../core';
import { defineOutboxKind, type BatchOutcome, type OutboxItem } from '../outbox';
import { createMailer, isPermanentMailFailure, normaliseLanguage, type Mailer } from '../surveys';
import { forgetToken, insertToken, mailJob, markMailed } from './answers.repo';
import { renderEnpsEmail } from './email.view';
import { enpsTranslator } from './enps.i18n';
import { invitationHash, newToken } from './enps.tokens';

// eNPS mail through the durable outbox: opening a wave marks one item per invitation (`invite:<id>`), the reminder
// one per unanswered invitation (`remind:<id>`), in the transaction that opens or reminds. Each mail gets a fresh
// one-time token, made here and never stored (only its hash is): the mail is the only place the token exists.

const mailers = new WeakMap<AppDeps, Mailer>();

function mailerOf(deps: AppDeps): Mailer {
  let m = mailers.get(deps);
  if (!m) {
    m = createMailer(deps.config, deps.mailTransport);
    mailers.set(deps, m);
  }
  return m;
}

export const enpsMailOutbox = defineOutboxKind({
  kind: 'enps-mail',
  queue: 'enps.mail',
  batchSize: 50,
  health: { key: (portalId) => `enps-mail:${portalId}`, message: 'the mail server refused an eNPS invitation' },
  async handle(ctx, items) {
    const settings = await getSettings(ctx.deps.db, ctx.portalId);
    const outcome: Required<Pick<BatchOutcome, 'done' | 'failed'>> = { done: [], failed: [] };
    let sent = 0;
    for (const item of items) {
      try {
        if (await sendOne(ctx.deps, ctx.portalId, settings, item, ctx.now)) sent++;
        outcome.done.push(item);
      } catch (err) {
        const reason = err instanceof Error ? err.message.slice(0, 300) : String(err);
        outcome.failed.push({ item, reason, rejected: isPermanentMailFailure(err) });
        if (!isPermanentMailFailure(err)) break;
      }
    }
    return { ...outcome, counts: { sent } };
  },
});

/** Sends one item's mail; false when there is nothing to send (already sent, answered, wave closed). */
async function sendOne(deps: AppDeps, portalId: number, settings: Settings, item: OutboxItem, now: Date) {
  const [kind, invitationId] = item.key.split(':') as ['invite' | 'remind', string];
  const job = await mailJob(deps.db, portalId, invitationId);
  if (!job || job.waveStatus !== 'open') return false;
  if (kind === 'invite' && job.invitedAt) return false;
  if (kind === 'remind' && (job.remindedAt || job.answered)) return false;
  const token = newToken();
  const hash = invitationHash(token);
  await insertToken(deps.db, hash, job.waveId, invitationId);
  const lang = normaliseLanguage(job.language, settings.defaultLanguage);
  const mail = renderEnpsEmail({
    kind,
    lang,
    company: settings.brand.name,
    from: senderOf(deps, settings),
    to: { email: job.email, firstName: job.firstName },
    question: questionFor(settings, lang),
    link: `${deps.config.publicBaseUrl}/e/${token}`,
    closesOn: job.closesOn,
    messageKey: `${invitationId}.${kind}`,
  });
  try {
    await mailerOf(deps).send(mail, now);
  } catch (err) {
    await forgetToken(deps.db, hash);
    throw err;
  }
  await markMailed(deps.db, invitationId, kind, now);
  return true;
}

/** The eNPS question in a language: the admin's wording if set, else the catalogue's; {company} filled in. */
export function questionFor(settings: Settings, lang: ReturnType<typeof normaliseLanguage>): string {
  const custom = settings.enps.wording[lang]?.question;
  const company = settings.brand.name;
  return custom ? custom.replace(/\{company\}/g, company) : enpsTranslator(lang)('question', { company });
}

export function whyQuestionFor(settings: Settings, lang: ReturnType<typeof normaliseLanguage>): string {
  return settings.enps.wording[lang]?.whyQuestion ?? enpsTranslator(lang)('why');
}

function senderOf(deps: AppDeps, settings: Settings): { name: string; address: string } {
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(deps.config.mailFrom);
  const fallback = (m?.[1] ?? deps.config.mailFrom).trim();
  return {
    name: settings.enps.senderName ?? settings.brand.senderName ?? settings.brand.name,
    address: settings.enps.senderEmail ?? settings.brand.senderEmail ?? fallback,
  };
}
