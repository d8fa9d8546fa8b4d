import { getSettings } from '../../core';
import { ensureWidgetSecret, signIdentity } from '../../web-survey';
import type { DemoEnvironment } from './environment';
import { demoWebAppContact } from './web-app.repo';

// `--check`'s in-app web survey step: acting as the sample web app (/demo/web-app) and its backend, it signs a due
// contact's email, asks the widget API from the demo's origin, and answers as the slide-in would. The answer then
// has to reach HubSpot like every other (the check's read-back step).

export async function checkWebSurvey(
  env: DemoEnvironment,
  expect: (ok: boolean, message: string) => void,
  log: (line: string) => void,
): Promise<{ contactId: string; score: number } | undefined> {
  const { app, config, portalId } = env;
  const settings = await getSettings(app.deps.db, portalId);
  const contact = await demoWebAppContact(app.deps.db, portalId, settings.quietPeriodDays);
  expect(Boolean(contact), 'no contact is due for the web survey');
  if (!contact) return undefined;
  const unsigned = await fetch(`${app.url}/demo/web-app`, { redirect: 'manual' });
  expect(unsigned.status === 303, `/demo/web-app without sign-in answered ${unsigned.status}`);
  const identity = {
    email: contact.email,
    userHash: signIdentity(await ensureWidgetSecret(app.deps, portalId), contact.email),
  };
  const call = (action: string, body: object) =>
    fetch(`${app.url}/widget/v1/${portalId}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: config.publicBaseUrl },
      body: JSON.stringify({ ...identity, ...body }),
    });
  const due = (await (await call('due', {})).json()) as { due: boolean; invitationId?: string };
  expect(due.due && Boolean(due.invitationId), `the web survey was not due for contact ${contact.contactId}`);
  if (!due.invitationId) return undefined;
  const answered = await call('answer', {
    invitationId: due.invitationId,
    score: 9,
    comment: 'Asked right in the app',
  });
  expect(answered.status === 200, `answering the web survey answered ${answered.status}`);
  if (answered.status !== 200) return undefined;
  log(`the web survey on /demo/web-app was due for contact ${contact.contactId} and answered in the widget`);
  return { contactId: contact.contactId, score: 9 };
}
