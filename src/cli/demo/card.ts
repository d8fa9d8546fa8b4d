import type { Config } from '../../config/env';
import type { ContactCard } from '../../../extensions/app/cards/contract';
import { signV3 } from '../../shared/signature';

// Helpers for `npm run demo`: what a contact's card shows, in one line, and a curl command that asks the card
// API exactly as HubSpot's hubspot.fetch would (v3-signed, portalId in the signed query).

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');

/** One human line: current score, how many answers and where they moved, open follow-ups, survey, send button. */
export function summariseContactCard(card: ContactCard): string {
  const parts: string[] = [];
  parts.push(
    card.score === null
      ? `contact ${card.contactId}: no current score`
      : `contact ${card.contactId}: ${card.score} (${card.category}) on ${day(card.currentAnsweredAt)}`,
  );
  if (card.historyTotal > 0) {
    const first = card.trend[0]?.score;
    const last = card.trend[card.trend.length - 1]?.score;
    parts.push(
      `${card.historyTotal} answer${card.historyTotal === 1 ? '' : 's'}${card.trend.length > 1 ? `, trend ${first}→${last}` : ''}`,
    );
  } else {
    parts.push('no answers yet');
  }
  const tasks = card.openFollowUps;
  parts.push(
    tasks.length === 0
      ? 'no open follow-ups'
      : `${tasks.length} open follow-up${tasks.length === 1 ? '' : 's'} (${tasks
          .slice(0, 2)
          .map((t) => `${t.subject}${t.ownerName ? `, ${t.ownerName}` : ''}${t.dueAt ? `, due ${day(t.dueAt)}` : ''}`)
          .join('; ')}${tasks.length > 2 ? '; …' : ''})`,
  );
  const s = card.surveyStatus;
  parts.push(
    `survey: ${s.state.replace('_', ' ')}${s.reason && s.state === 'skipped' ? ` (${s.reason})` : ''}${s.quietUntil ? ` until ${day(s.quietUntil)}` : ''}`,
  );
  const c = card.canSend;
  parts.push(
    `send now: ${!c.allowed ? `disabled (${c.code ?? c.reason})` : c.needsConfirmation ? 'asks to confirm' : 'ready'}`,
  );
  return parts.join(' · ');
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A ready-to-run curl command with fresh v3 signature headers (valid for 5 minutes). `path` includes the query
 * HubSpot would append, e.g. "/api/card/contacts/501?portalId=1001". The signature covers PUBLIC_BASE_URL +
 * path; `targetUrl` lets the command reach the app at another address (e.g. 127.0.0.1) with the same signature.
 */
export function signedCurl(
  config: Pick<Config, 'publicBaseUrl'> & { hubspot: Pick<Config['hubspot'], 'clientSecret'> },
  path: string,
  opts: { method?: 'GET' | 'POST'; body?: unknown; targetUrl?: string; now?: Date } = {},
): string {
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  const raw = opts.body === undefined ? '' : JSON.stringify(opts.body);
  const timestamp = (opts.now ?? new Date()).getTime();
  const signature = signV3(config.hubspot.clientSecret, method, `${config.publicBaseUrl}${path}`, raw, timestamp);
  const parts = [
    'curl -sS',
    ...(method === 'GET'
      ? []
      : [`-X ${method}`, `-H ${shellQuote('Content-Type: application/json')}`, `--data ${shellQuote(raw)}`]),
    `-H ${shellQuote(`X-HubSpot-Signature-v3: ${signature}`)}`,
    `-H ${shellQuote(`X-HubSpot-Request-Timestamp: ${timestamp}`)}`,
    shellQuote(`${(opts.targetUrl ?? config.publicBaseUrl).replace(/\/+$/, '')}${path}`),
  ];
  return parts.join(' ');
}
