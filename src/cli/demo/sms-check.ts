import { loadFatigueInput } from '../../triggers/fatigue.repo';
import type { DemoEnvironment } from './environment';

// The SMS step of `npm run demo -- --check`: a contact gets a mobile number in the sandbox (mirrored through its
// change webhook), one of their tickets closes, the `ticket-closed` rule (["sms", "email"]) texts them through
// the local Twilio stand-in, which then sends a signed "delivered" callback and a reply "9" that becomes the answer.

const MOBILE = '+45 20 30 40 50';
const E164 = '+4520304050';

async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function checkSms(
  env: DemoEnvironment,
  log: (line: string) => void,
  expect: (ok: boolean, message: string) => void,
): Promise<{ textsSent: number; textAnswered: boolean }> {
  const { sandbox, twilio, app, portalId } = env;
  const candidates = await sandbox.controlPanel.candidates('ticket', { limit: 20 });
  // Stage 4 closes the default support pipeline, the one the demo's ticket-closed rule watches.
  const ticket = candidates.find((c) => c.toStage === '4');
  if (!ticket) {
    expect(false, 'no closable ticket for the SMS step');
    return { textsSent: 0, textAnswered: false };
  }
  sandbox.crm.updateRecord('contacts', ticket.contactId, { mobilephone: MOBILE });
  await sandbox.webhooks.flush();
  await until('the mobile number to be mirrored', async () => {
    const facts = await loadFatigueInput(app.deps.db, portalId, ticket.contactId);
    return facts.contact?.phone?.ok;
  });
  await sandbox.controlPanel.close('ticket', { id: ticket.id });
  const text = await until('the survey text', async () => twilio.messages.find((m) => m.to === E164));
  log(`ticket ${ticket.id} closed; the local Twilio got a text to ${text.to}: "${text.body}"`);
  expect(/\/t\/[\w-]{12} /.test(text.body), 'the survey text carries a short link');
  const callback = await twilio.sendStatus(text.sid, 'delivered');
  expect(callback === 204, `the delivered callback answered ${callback}`);
  const reply = await twilio.sendReply(`${env.config.publicBaseUrl}/webhooks/twilio/inbound`, E164, '9');
  const textAnswered = reply.status === 200 && reply.body.includes('<Message>');
  expect(textAnswered, `the reply "9" was not taken as the answer (${reply.status} ${reply.body})`);
  log(`Twilio callback "delivered" → ${callback}; reply "9" → ${textAnswered ? 'recorded as the answer' : 'ignored'}`);
  return { textsSent: twilio.messages.length, textAnswered };
}
