import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sized } from './proof-size';

// Each proof records what it measured, so `npm run proofs` can print one table of every proof with its figures
// (bench/proofs-report.ts reads these files). Written at both sizes; the report says which size ran.

export interface ProofRecord {
  /** Short name, e.g. "webhooks delivered 3×, shuffled". */
  proof: string;
  /** The pass condition in words, as the README's Proofs table states it. */
  passWhen: string;
  pass: boolean;
  /** What was measured, e.g. { milestones: 500, deliveries: 1500, surveys: 500 }. */
  figures: Record<string, number | string>;
}

const PROOF_RESULTS_DIR = join('bench', 'results', 'proofs');

export function recordProof(record: ProofRecord): void {
  mkdirSync(PROOF_RESULTS_DIR, { recursive: true });
  const slug = record.proof
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const size = sized({ quick: 'quick', full: 'full' });
  writeFileSync(
    join(PROOF_RESULTS_DIR, `${slug}.json`),
    JSON.stringify({ ...record, size, at: new Date().toISOString() }, null, 2),
  );
}
