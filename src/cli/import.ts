import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig, processEnv } from '../config/env';
import { importResponsesCsv, type ImportReport } from '../responses/import';
import { startServer } from '../app/server';
import { createLogger } from '../shared/logger';
import { AppError } from '../shared/errors';

// `npm run import -- answers.csv [--portal <id>]`: records the good rows, prints every bad row with its line and
// reason. Exit code 0 when every row was good, 2 when some were bad, 1 on a failure, 64 on a usage error.
// The answers reach HubSpot through the app's write-back once it runs (they wait durably in the outbox).

const USAGE = 'usage: npm run import -- <file.csv> [--portal <HubSpot account id>]';

const argsSchema = z.object({
  file: z.string({ error: 'no CSV file given' }).min(1, 'no CSV file given'),
  portal: z
    .string()
    .regex(/^\d{1,15}$/, '--portal must be a numeric HubSpot account id')
    .transform(Number)
    .optional(),
});

function formatReport(report: ImportReport): string {
  const lines: string[] = [];
  if (report.bad.length > 0) {
    const width = Math.max(4, ...report.bad.map((b) => String(b.line).length));
    lines.push(`${'line'.padEnd(width)}  reason`, `${'-'.repeat(width)}  ${'-'.repeat(40)}`);
    for (const b of report.bad) lines.push(`${String(b.line).padEnd(width)}  ${b.reason}`);
    lines.push('');
  }
  lines.push(
    `${report.rows} row(s) read: ${report.imported} imported, ${report.alreadyImported} already imported earlier, ${report.bad.length} bad.`,
  );
  return lines.join('\n');
}

async function main(): Promise<number> {
  let parsed;
  try {
    const { values, positionals } = parseArgs({ options: { portal: { type: 'string' } }, allowPositionals: true });
    parsed = argsSchema.safeParse({ file: positionals[0], portal: values.portal });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 64;
  }
  if (!parsed.success) {
    console.error(`${parsed.error.issues.map((i) => i.message).join('; ')}\n${USAGE}`);
    return 64;
  }
  const { file } = parsed.data;
  let csv: string;
  try {
    csv = readFileSync(file, 'utf8');
  } catch (err) {
    console.error(`cannot read ${file}: ${(err as Error).message}`);
    return 1;
  }
  let config;
  try {
    // The import records answers; the running app's workers send them to HubSpot.
    config = { ...loadConfig(processEnv()), runWorkers: false };
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  const portalId = parsed.data.portal ?? config.hubspot.staticPortal?.portalId;
  if (portalId === undefined) {
    console.error(`OAuth mode serves several portals: name one with --portal <id>\n${USAGE}`);
    return 64;
  }
  // No features: the import needs the database only, not the app's start-up work (setup, schedules, sync).
  const running = await startServer(config, {
    listen: false,
    features: [],
    logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel),
  });
  try {
    const report = await importResponsesCsv(running.deps, portalId, csv);
    console.log(formatReport(report));
    return report.bad.length > 0 ? 2 : 0;
  } catch (err) {
    console.error(err instanceof AppError ? err.message : `import failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await running.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`import failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
