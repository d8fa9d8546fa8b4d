// `npm run bench [-- --quick] [-- --only name,name] [-- --engine pglite|postgres]`: runs every scenario, prints a markdown table, and writes
// the figures as JSON to bench/results/latest.json. Postgres scenarios run when a server answers. Every row with a
// numeric target carries `ratio` = measured / target (below 1 = met), in the table and the JSON alike.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ratioTo, type BenchContext, type BenchRow, type Scenario } from './scenario';

const SCENARIOS = [
  'webhook-ingest',
  'contacts-read',
  'survey-page',
  'writeback',
  'card-api',
  'insights',
  'web-survey-due',
];

async function reachablePostgres(): Promise<string | undefined> {
  const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return url;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A row's ratio to its target: its own, else worked out from a "pNN < X ms" target and its pNN_ms figure. */
function withRatio<R extends BenchRow>(row: R): R {
  if (row.ratio !== undefined || !row.target) return row;
  const m = /\bp(\d+) < ([\d,.]+) ms/.exec(row.target);
  const measured = m ? row.figures[`p${m[1]}_ms`] : undefined;
  if (!m || typeof measured !== 'number') return row;
  return { ...row, ratio: ratioTo(measured, Number(m[2]!.replace(/,/g, ''))) };
}

function table(rows: Array<BenchRow & { scenario: string }>): string {
  const lines = [
    '| scenario | measurement | figures | target | ratio (measured/target) | met |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const figures = Object.entries(r.figures)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    const met = r.met === undefined ? '' : r.met ? 'yes' : 'NO';
    lines.push(`| ${r.scenario} | ${r.name} | ${figures} | ${r.target ?? ''} | ${r.ratio ?? ''} | ${met} |`);
  }
  return lines.join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const onlyIdx = args.indexOf('--only');
  const only = onlyIdx >= 0 ? (args[onlyIdx + 1] ?? '').split(',') : undefined;
  const engineIdx = args.indexOf('--engine');
  const onlyEngine = engineIdx >= 0 ? args[engineIdx + 1] : undefined;
  if (onlyEngine !== undefined && onlyEngine !== 'pglite' && onlyEngine !== 'postgres')
    throw new Error('--engine takes pglite or postgres');
  const databaseUrl = await reachablePostgres();
  if (onlyEngine === 'postgres' && !databaseUrl)
    throw new Error('--engine postgres: no Postgres server answers (set DATABASE_URL)');
  const engines = (['pglite', 'postgres'] as const).filter(
    (e) => (e === 'pglite' || databaseUrl) && (!onlyEngine || e === onlyEngine),
  );
  const ctx: BenchContext = {
    databaseUrl: engines.includes('postgres') ? databaseUrl : undefined,
    engines,
    quick,
    log: (m: string) => process.stderr.write(`  ${m}\n`),
  };
  process.stderr.write(
    `bench: ${quick ? 'quick' : 'full'} run; postgres ${databaseUrl ? 'available' : 'not reachable (PGlite only)'}\n`,
  );
  const results: Array<BenchRow & { scenario: string }> = [];
  for (const name of SCENARIOS.filter((n) => !only || only.includes(n))) {
    process.stderr.write(`▶ ${name}\n`);
    const started = Date.now();
    try {
      const mod = (await import(`./${name}.ts`)) as { scenario: Scenario };
      for (const row of await mod.scenario.run(ctx)) results.push({ scenario: name, ...withRatio(row) });
    } catch (err) {
      results.push({
        scenario: name,
        name: 'failed',
        figures: { error: (err as Error).message.slice(0, 200) },
        met: false,
      });
    }
    process.stderr.write(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(outDir, { recursive: true });
  const json = {
    at: new Date().toISOString(),
    quick,
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    results,
  };
  writeFileSync(join(outDir, 'latest.json'), JSON.stringify(json, null, 2));
  process.stdout.write(`${table(results)}\n\n${JSON.stringify(json)}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
    process.exit(1);
  },
);
