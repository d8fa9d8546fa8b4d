/** Published NPS benchmarks by industry: cited outside figures the dashboard compares a portal's NPS with. */
export { NPS_BENCHMARKS, BENCHMARK_KEYS, benchmarkFor, type NpsBenchmark } from './benchmarks';
