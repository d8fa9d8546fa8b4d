import { drainPortal } from '../../outbox';
import { enpsMailOutbox, runEnpsCycle } from '../../enps';
import { replaceEmployees } from '../../enps/employees.repo';
import { closeWaveEarly, insertWave } from '../../enps/waves.repo';
import { enpsResults } from '../../enps/results';
import { addDays, dayOf } from '../../enps/enps.rules';
import type { DemoEnvironment } from './environment';
import { listCapturedMail, readCapturedMail } from './mail-folder';

// The demo's eNPS wave: the sandbox's users plus a small uploaded list are invited, most answer through the real
// survey page, the wave closes, and the results (eNPS ± margin, n) are read the way the eNPS page reads them.

const LIST = ['ops', 'finance', 'it', 'hr', 'legal', 'design'].map((team, i) => ({
  email: `${team}@employees.example.com`,
  firstName: null,
  team: i < 3 ? 'Operations' : 'Back office',
  location: 'Copenhagen',
  tenure: i % 2 ? '1-2y' : '2-5y',
  language: i === 0 ? 'da' : null,
}));
const SCORES = [10, 9, 7, 9, 3, 10, 8, 9, 6, 10, 9];

export interface EnpsDemoFigures {
  invited: number;
  answered: number;
  enps: number | null;
  marginOfError: number | null;
  n: number;
}

export async function runEnpsWave(env: DemoEnvironment, log: (line: string) => void): Promise<EnpsDemoFigures> {
  const { app, portalId } = env;
  const deps = app.deps;
  const today = dayOf(new Date());
  await replaceEmployees(deps.db, portalId, LIST);
  const wave = await insertWave(deps.db, {
    portalId,
    opensOn: today,
    remindOn: addDays(today, 7),
    closesOn: addDays(today, 14),
    questions: ['What one thing should we change?'],
    breakdown: 'team',
    createdOn: today,
  });
  const opened = await runEnpsCycle(deps, portalId);
  await drainPortal(deps, enpsMailOutbox, portalId, { hold: 0 });
  const mails = (await listCapturedMail(env.mailDir)).filter((m) => m.file.startsWith('enps.'));
  let answered = 0;
  for (const [i, m] of mails.entries()) {
    const score = SCORES[i];
    const text = (await readCapturedMail(env.mailDir, m.file))?.mail.text ?? '';
    const token = /\/e\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
    if (score === undefined || !token) continue;
    const res = await fetch(`${app.url}/e/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ score: String(score), why: score >= 9 ? 'Good people.' : 'Too many meetings.' }),
      redirect: 'manual',
    });
    if (res.status === 303) answered++;
  }
  await closeWaveEarly(deps.db, portalId, wave.id, today);
  await runEnpsCycle(deps, portalId);
  const total = (await enpsResults(deps, portalId)).closed[0]?.total ?? null;
  log(
    `eNPS wave: ${opened.invited} invited, ${mails.length} mailed, ${answered} answered; eNPS ${total?.nps ?? '–'} ± ${total?.marginOfError ?? '–'} (n ${total?.n ?? 0})`,
  );
  return {
    invited: opened.invited,
    answered,
    enps: total?.nps ?? null,
    marginOfError: total?.marginOfError ?? null,
    n: total?.n ?? 0,
  };
}
