import type { AppDeps, Settings } from '../core';
import { recordSurveyAnswer } from '../responses';
import { normaliseLanguage, parseAnswer } from '../surveys';
import { BadRequestError, DAY_MS, NotFoundError } from '../shared';
import { decideDue, snoozeDaysFor, snoozeUntil } from './due.rules';
import type { WidgetIdentity } from './identity';
import {
  dismissInvitation,
  dismissableWebInvitation,
  isOpenWebInvitation,
  loadWidgetContact,
  markShown,
  openVisitInvitation,
} from './web-survey.repo';
import { widgetSurvey, type WidgetSurvey } from './widget-text';

// The widget's three actions for an identity its host has signed: is a survey due, record an answer, dismiss.
// Unknown contacts get the same "nothing due" as known ones with nothing due, so identities cannot be probed.

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export type DueAnswer = { due: false } | ({ due: true } & WidgetSurvey);

const NOTHING: DueAnswer = { due: false };
/** Visits are remembered to the hour: enough for "has a web session", and no write on most requests. */
const VISIT_RESOLUTION_MS = 3_600_000;

/**
 * What is due, and the contact whose visit to remember (for channel fallbacks): null when unknown, deleted, or
 * already remembered within the hour.
 */
export async function whatIsDue(
  deps: Deps,
  portalId: number,
  settings: Settings,
  who: WidgetIdentity,
): Promise<{ answer: DueAnswer; contactId: string | null }> {
  const now = deps.clock.now();
  const web = settings.webSurvey;
  if (!web.enabled) return { answer: NOTHING, contactId: null };
  const contact = await loadWidgetContact(deps.db, portalId, who, now);
  const seenRecently = (contact?.lastSeenAt?.getTime() ?? 0) > now.getTime() - VISIT_RESOLUTION_MS;
  const contactId = contact && !contact.deleted && !seenRecently ? contact.contactId : null;
  const decision = decideDue({
    now,
    enabled: web.enabled,
    askOnVisit: web.askOnVisit,
    quietPeriodDays: settings.quietPeriodDays,
    contact,
  });
  if (!decision.due || !contact) return { answer: NOTHING, contactId };
  const expiresAt = new Date(now.getTime() + settings.linkExpiryDays * DAY_MS);
  const inv = contact.invitation;
  const lang = normaliseLanguage(inv?.language ?? contact.language, settings.defaultLanguage);
  let invitationId: string;
  if (decision.source === 'invitation') {
    invitationId = decision.invitationId;
    if (inv?.status === 'scheduled') await markShown(deps.db, portalId, invitationId, now, expiresAt);
  } else {
    const opened = await openVisitInvitation(deps.db, {
      portalId,
      contactId: contact.contactId,
      language: lang,
      now,
      expiresAt,
    });
    if (!opened) return { answer: NOTHING, contactId };
    invitationId = opened;
  }
  const source = inv ?? { ruleId: null, question: null, followUpQuestion: null };
  return { answer: { due: true, ...widgetSurvey(settings, lang, invitationId, source) }, contactId };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invitationIdOf(body: Record<string, unknown>): string {
  const id = body.invitationId;
  if (typeof id !== 'string' || !UUID.test(id))
    throw new BadRequestError(
      'invalid widget request: invitationId: expected the id the due answer gave',
      undefined,
      'invalid_input',
    );
  return id;
}

/** The contact's own open web invitation, or 404 (also for someone else's invitation or an unknown contact). */
async function ownInvitation(deps: Deps, portalId: number, who: WidgetIdentity, body: Record<string, unknown>) {
  const invitationId = invitationIdOf(body);
  const now = deps.clock.now();
  const contact = await loadWidgetContact(deps.db, portalId, who, now);
  if (!contact || !(await isOpenWebInvitation(deps.db, portalId, contact.contactId, invitationId, now)))
    throw new NotFoundError('no open survey', 'not_found');
  return { invitationId, contactId: contact.contactId };
}

/**
 * Records an answer through the survey page's path (one statement: the answer, the invitation answered, and the
 * outbox items for write-back, follow-up task, company rollup and alerts). The survey's follow-up answer is kept
 * only if it asked one, as on the page.
 */
export async function recordWidgetAnswer(
  deps: Deps,
  portalId: number,
  who: WidgetIdentity,
  body: Record<string, unknown>,
) {
  const parsed = parseAnswer(
    {
      score: body.score === undefined ? undefined : String(body.score),
      comment: body.comment,
      followUp: body.followUp,
    },
    { hasFollowUp: true },
  );
  if (!parsed.ok) {
    const fields = parsed.problems.map((p) => p.field).join(', ');
    throw new BadRequestError(
      `invalid answer: ${fields}`,
      { fields: parsed.problems.map((p) => p.field) },
      'invalid_answer',
    );
  }
  const { invitationId } = await ownInvitation(deps, portalId, who, body);
  const recorded = await recordSurveyAnswer(deps, {
    portalId,
    invitationId,
    score: parsed.answer.score,
    comment: parsed.answer.comment,
    followUpAnswer: parsed.answer.followUp,
  });
  if (!recorded) throw new NotFoundError('no open survey', 'not_found');
  return { recorded: true };
}

/** A dismissal: a skip with reason 'dismissed' and a snooze of its rule's days (else the portal's). */
export async function dismissWidget(
  deps: Deps,
  portalId: number,
  settings: Settings,
  who: WidgetIdentity,
  body: Record<string, unknown>,
) {
  const invitationId = invitationIdOf(body);
  const now = deps.clock.now();
  const contact = await loadWidgetContact(deps.db, portalId, who, now);
  const invitation = contact && (await dismissableWebInvitation(deps.db, portalId, contact.contactId, invitationId));
  const done =
    contact &&
    invitation &&
    (await dismissInvitation(deps.db, {
      portalId,
      contactId: contact.contactId,
      invitationId,
      snoozedUntil: snoozeUntil(now, snoozeDaysFor(settings, invitation)),
    }));
  if (!done) throw new NotFoundError('no open survey', 'not_found');
  return { dismissed: true };
}
