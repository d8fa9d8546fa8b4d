import data from './nps-benchmarks.json' with { type: 'json' };

// Published NPS benchmarks by industry, read from nps-benchmarks.json: outside figures with their source, year,
// sample and a quote of the text they come from. Nothing here is estimated; an industry without a citable figure
// is simply absent.

export interface NpsBenchmark {
  /** Stable id stored in settings (insights.benchmarkIndustry). */
  key: string;
  label: string;
  nps: number;
  /** 'mean': the source says it averaged scores; 'overall': one score for the industry, averaging not stated. */
  statistic: 'mean' | 'overall';
  source: { publisher: string; title: string; url: string; citedBy?: string };
  year: number;
  sample: { description: string; respondents?: number; region: string; market: string };
  /** The sentence of the source that states the figure. */
  evidence: string;
  /** The day the figure was read at source.url (YYYY-MM-DD). */
  readOn: string;
}

export const NPS_BENCHMARKS: readonly NpsBenchmark[] = data.benchmarks as NpsBenchmark[];

/** The industry keys, for the settings enum (non-empty: the file always lists at least one industry). */
export const BENCHMARK_KEYS = NPS_BENCHMARKS.map((b) => b.key) as [string, ...string[]];

export function benchmarkFor(key: string | undefined): NpsBenchmark | null {
  return NPS_BENCHMARKS.find((b) => b.key === key) ?? null;
}
