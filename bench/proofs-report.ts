import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Collects what each proof recorded (tests/helpers/proof-report.ts) into bench/results/proofs.json and prints a
// markdown table. `npm run proofs` runs it after the proofs, whatever their outcome.

const DIR = join('bench', 'results', 'proofs');

interface Recorded {
  proof: string;
  passWhen: string;
  pass: boolean;
  size: string;
  at: string;
  figures: Record<string, number | string>;
}

const records: Recorded[] = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Recorded)
      .sort((a, b) => a.proof.localeCompare(b.proof))
  : [];

writeFileSync(join('bench', 'results', 'proofs.json'), JSON.stringify(records, null, 2));
const cell = (s: string) => s.replace(/\|/g, '\\|');
const lines = [
  '| proof | size | pass when | result | figures |',
  '|---|---|---|---|---|',
  ...records.map(
    (r) =>
      `| ${cell(r.proof)} | ${r.size} | ${cell(r.passWhen)} | ${r.pass ? 'pass' : '**FAIL**'} | ${cell(
        Object.entries(r.figures)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      )} |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n\n${records.length} proofs recorded; JSON in bench/results/proofs.json\n`);
