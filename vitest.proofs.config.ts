import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// The fault and load tests at full size (tests/helpers/proof-size.ts): `npm run proofs`, or `npm run proofs:crash`
// for the SIGKILL tests alone. `npm test` runs the same files scaled down. (Not mergeConfig: it would append these
// files to the base include, which takes every test.)
const PROOF_FILES = [
  'tests/proofs/**/*.test.ts',
  'tests/e2e/nothing-lost.test.ts',
  'tests/integration/jobs-crash.test.ts',
];

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: PROOF_FILES,
    env: { NPS_PROOF_SIZE: 'full' },
    testTimeout: 900_000,
  },
});
