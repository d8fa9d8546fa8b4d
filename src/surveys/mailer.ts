import { createTransport } from 'nodemailer';
import type { Config } from '../config';
import type { MailTransport } from '../core';
import type { RenderedEmail } from './email.view';

// Outgoing mail: SMTP when SMTP_URL is set. Otherwise a MailTransport handed in by whoever starts the app (the
// demo captures mail into a folder it lists; tests keep it in memory) receives the finished message; with neither,
// the app refuses to start rather than mark surveys sent that went nowhere. Every path builds the message with nodemailer, so what a transport receives
// is byte for byte what SMTP would have carried.

export interface Mailer {
  readonly mode: 'smtp' | 'transport';
  /** Resolves once the SMTP server accepted the message (its 250 to DATA) or the file is written. */
  send(mail: RenderedEmail, date: Date): Promise<void>;
}

// Bounded SMTP waits: a send can never outlast the delivery claim (CLAIM_TIMEOUT_MS, five minutes), so a slow
// server cannot make a second sender take over a message that is still being delivered.
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000, dnsTimeout: 15_000 };

export function createMailer(config: Pick<Config, 'smtpUrl'>, transport?: MailTransport): Mailer {
  if (config.smtpUrl) {
    const transport = createTransport({ url: config.smtpUrl, ...SMTP_TIMEOUTS });
    return {
      mode: 'smtp',
      async send(mail, date) {
        await transport.sendMail(toMessage(mail, date));
      },
    };
  }
  // A survey marked sent must have gone somewhere: with no SMTP and no transport the app does not start.
  if (!transport)
    throw new Error(
      'SMTP_URL is not set: survey emails would have nowhere to go. Set SMTP_URL (npm run demo captures mail itself).',
    );
  const stream = createTransport({ streamTransport: true, buffer: true });
  return {
    mode: 'transport',
    async send(mail, date) {
      const info = await stream.sendMail(toMessage(mail, date));
      await transport.deliver(info.message as Buffer, {
        messageId: mail.messageId,
        to: mail.to,
        subject: mail.subject,
        date,
      });
    },
  };
}

function toMessage(mail: RenderedEmail, date: Date) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    date,
    headers: mail.headers,
  };
}

/** True when the server refused the message for good (5xx): retrying would only be refused again. */
export function isPermanentMailFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { permanent?: boolean; responseCode?: number };
  if (typeof e.permanent === 'boolean') return e.permanent;
  return typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode !== 503;
}
