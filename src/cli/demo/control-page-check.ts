import type { DemoEnvironment } from './environment';
import { listCapturedMail, readCapturedMail } from './mail-folder';

// The demo check's newcomer click: "Close a deal" on the sandbox control page, the survey in the demo mail folder,
// a score clicked in that mail. The demo mail page itself needs the dashboard sign-in.

type Until = <T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs?: number) => Promise<T>;

/** The contact that answered 10 through the control page's survey mail, or null when that did not work. */
export async function runControlPageCheck(
  env: DemoEnvironment,
  until: Until,
  expect: (ok: boolean, message: string) => void,
  log: (line: string) => void,
): Promise<string | null> {
  const { sandbox, app, config } = env;
  const click = await fetch(`${sandbox.url()}/_control/close-deal`, { method: 'POST' });
  expect(click.status === 201, `the control page's close-deal answered ${click.status}`);
  if (click.status !== 201) return null;
  const action = (await click.json()) as {
    id: string;
    contact: { id: string; email: string };
    webhook: { status: number } | null;
  };
  expect(action.webhook?.status === 200, `the close-deal webhook was answered ${action.webhook?.status ?? 'never'}`);
  const mail = await until(
    'the control page survey in the demo mail folder',
    async () => (await listCapturedMail(env.mailDir)).find((m) => m.to === action.contact.email),
    60_000,
  ).catch(() => undefined);
  expect(
    Boolean(mail),
    `no survey mail for contact ${action.contact.id} after closing deal ${action.id} on the control page`,
  );
  const unsigned = await fetch(`${app.url}/demo/mail`, { redirect: 'manual' });
  expect(unsigned.status === 303, `/demo/mail without sign-in answered ${unsigned.status}`);
  const text = mail ? ((await readCapturedMail(env.mailDir, mail.file))?.mail.text ?? '') : '';
  const link = /(https?:\/\/\S+?)\?score=10\b/.exec(text)?.[1];
  expect(!mail || Boolean(link), 'the control page survey mail has no score link');
  if (!mail || !link) return null;
  const res = await fetch(link.replace(config.publicBaseUrl, app.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'score=10&comment=Saw+the+whole+loop',
  });
  expect(res.status < 400, `answering the control page survey answered ${res.status}`);
  log(
    `control page closed deal ${action.id}; the survey reached ${mail.file} in the demo mail folder and was answered`,
  );
  return action.contact.id;
}
