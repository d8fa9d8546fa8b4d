import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NPS_BENCHMARKS, benchmarkFor } from '../../src/benchmarks';
import { settingsSchema } from '../../src/core';
import { compareWithBenchmark } from '../../src/insights/benchmark';
import { benchmarkSettingsSection } from '../../src/insights/benchmark-settings';
import { benchmarkSection } from '../../src/insights/pages/benchmark.view';

// The published benchmarks are facts with a source: every figure must carry where it comes from, who was asked,
// and the sentence that states it. Then the comparison with the portal's NPS and its margin of error.

describe('the benchmark data file', () => {
  it('lists between 8 and 15 industries under unique keys', () => {
    expect(NPS_BENCHMARKS.length).toBeGreaterThanOrEqual(8);
    expect(NPS_BENCHMARKS.length).toBeLessThanOrEqual(15);
    const keys = NPS_BENCHMARKS.map((b) => b.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(k).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it.each(NPS_BENCHMARKS.map((b) => [b.key, b] as const))('%s is cited in full', (_key, b) => {
    expect(b.label.trim()).not.toBe('');
    expect(b.nps).toBeGreaterThanOrEqual(-100);
    expect(b.nps).toBeLessThanOrEqual(100);
    expect(['mean', 'overall']).toContain(b.statistic);
    expect(b.source.publisher.trim()).not.toBe('');
    expect(b.source.title.trim()).not.toBe('');
    expect(new URL(b.source.url).protocol).toBe('https:');
    expect(Number.isInteger(b.year) && b.year >= 2000 && b.year <= 2026).toBe(true);
    expect(b.sample.description.length).toBeGreaterThan(20);
    expect(b.sample.region.trim()).not.toBe('');
    expect(['B2B', 'B2C', 'B2B and B2C']).toContain(b.sample.market);
    expect(b.readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The quote states the very figure (as the source wrote it, e.g. "+44", "37%", "-6.1").
    expect(b.evidence).toContain(String(Math.abs(b.nps)));
  });

  it('looks industries up by key, and nothing for an unknown or missing one', () => {
    expect(benchmarkFor('manufacturing')?.nps).toBe(49);
    expect(benchmarkFor('saas')).toBeNull();
    expect(benchmarkFor(undefined)).toBeNull();
  });
});

describe('settings', () => {
  it('accept a listed industry, leave it unset by default and refuse others by field', () => {
    expect(settingsSchema.parse({ insights: { benchmarkIndustry: 'logistics' } }).insights.benchmarkIndustry).toBe(
      'logistics',
    );
    expect(settingsSchema.parse({}).insights.benchmarkIndustry).toBeUndefined();
    const bad = settingsSchema.safeParse({ insights: { benchmarkIndustry: 'crypto' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['insights', 'benchmarkIndustry']);
  });

  it('offer one optional select whose options show industry, value, source and year', () => {
    const fields = benchmarkSettingsSection.fields;
    expect(Array.isArray(fields) && fields.length).toBe(1);
    const field = (fields as Exclude<typeof fields, (...a: never[]) => unknown>)![0]!;
    expect(field).toMatchObject({ path: ['insights', 'benchmarkIndustry'], kind: 'select', optional: true });
    expect(field.options?.map((o) => o.value)).toEqual(NPS_BENCHMARKS.map((b) => b.key));
    expect(field.options?.find((o) => o.value === 'consumer-payments')?.label).toBe(
      'Consumer payments: NPS \u22126.1 (Qualtrics XM Institute, 2023)',
    );
  });
});

describe('comparing the portal with its benchmark', () => {
  it('says nothing without an industry or without answers', () => {
    expect(compareWithBenchmark(undefined, { nps: 20, marginOfError: 5 })).toMatchObject({
      industry: null,
      benchmark: null,
      difference: null,
      verdict: null,
    });
    expect(compareWithBenchmark('retail', { nps: null, marginOfError: null })).toMatchObject({
      industry: 'retail',
      difference: null,
      withinMargin: null,
    });
  });

  it('counts a difference within the margin of error as noise, and beyond it as above or below', () => {
    // manufacturing: 49
    expect(compareWithBenchmark('manufacturing', { nps: 55, marginOfError: 6 })).toMatchObject({
      difference: 6,
      withinMargin: true,
      verdict: 'within-noise',
    });
    expect(compareWithBenchmark('manufacturing', { nps: 60, marginOfError: 6 })).toMatchObject({
      difference: 11,
      withinMargin: false,
      verdict: 'above',
    });
    expect(compareWithBenchmark('manufacturing', { nps: 30.3, marginOfError: 12.5 })).toMatchObject({
      difference: -18.7,
      verdict: 'below',
    });
    expect(compareWithBenchmark('manufacturing', { nps: 100, marginOfError: null })).toMatchObject({
      difference: 51,
      withinMargin: null,
      verdict: null,
    });
  });
});

describe('the dashboard card', () => {
  const portal = { nps: 20, marginOfError: 8 };

  it('asks admins to pick an industry with a link, and tells others who can', () => {
    const none = compareWithBenchmark(undefined, portal);
    expect(benchmarkSection(none, portal, true)).toContain(
      '<a href="/dashboard/settings/benchmark">Pick your industry</a>',
    );
    const viewer = benchmarkSection(none, portal, false);
    expect(viewer).toContain('An admin can pick your industry');
    expect(viewer).not.toContain('/dashboard/settings/benchmark');
  });

  it('names the outside source with its link, year and sample, escaped', () => {
    const html = benchmarkSection(compareWithBenchmark('accounting', portal), portal, true);
    expect(html).toContain('outside figure');
    expect(html).toContain('href="https://blandcpa.com/industries/net-promoter-score/"');
    expect(html).toContain('Bland &amp; Associates');
    expect(html).not.toContain('Bland & Associates');
    expect(html).toContain('2022');
    expect(html).toContain('Clients of accounting firms in the U.S. and Canada');
    // 20 − 39 = −19, beyond ± 8
    expect(html).toContain('19 points below the benchmark, more than your margin of error (± 8)');
  });

  it('says when the difference is within the margin of error', () => {
    const html = benchmarkSection(compareWithBenchmark('b2b-services', portal), portal, false);
    expect(html).toContain('within your margin of error');
    expect(html).not.toContain('Change industry');
  });
});

describe('the README sources table', () => {
  it('lists every benchmark with its value, year and link', () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    for (const b of NPS_BENCHMARKS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${b.key}\` |`));
      expect(row, b.key).toBeDefined();
      const nps = b.nps < 0 ? `\u2212${Math.abs(b.nps)}` : String(b.nps);
      expect(row).toContain(`| ${nps} |`);
      expect(row).toContain(`| ${b.year} |`);
      expect(row).toContain(`](${b.source.url})`);
    }
  });
});
