// Fault and load tests run in two sizes with the same assertions: a scaled-down one in `npm test`, and the full
// size with NPS_PROOF_SIZE=full (`npm run proofs`, `npm run proofs:crash`; see vitest.proofs.config.ts).

type ProofSize = 'quick' | 'full';

function readSize(): ProofSize {
  const v = process.env.NPS_PROOF_SIZE || 'quick';
  if (v !== 'quick' && v !== 'full') throw new Error(`NPS_PROOF_SIZE must be quick or full, not "${v}"`);
  return v;
}

const PROOF_SIZE: ProofSize = readSize();

/** Picks this run's value: `sized({ quick: 3, full: 12 })`. */
export function sized<T>(sizes: Record<ProofSize, T>): T {
  return sizes[PROOF_SIZE];
}
