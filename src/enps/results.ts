import type { AppDeps, CategoryCounts, NpsSummary } from '../core';
import { getSettings, summarize } from '../core';
import { DAY_MS } from '../shared';
import { answeredSoFar, closedWaveAnswers, customerScoresByOwner } from './answers.repo';
import { histogramOf, releaseGroups, shuffled, type Histogram, type Release } from './enps.rules';
import { listWaves, type Wave } from './waves.repo';

// What the eNPS page shows. Only closed waves have results (an open wave's numbers would change answer by answer,
// and two moments could be differenced); each is released through releaseGroups with the threshold frozen at
// its close. Open waves show how many answered so far, nothing else.

interface GroupResult {
  key: string;
  summary: NpsSummary;
}

export interface WaveResult {
  wave: Wave;
  threshold: number;
  /** Null when fewer than the threshold answered: nothing of the wave is shown. */
  total: NpsSummary | null;
  histogram: Histogram | null;
  groups: GroupResult[];
  other: NpsSummary | null;
  merged: number;
  /** Why-answers and custom answers, in random order; empty unless the total is shown. */
  comments: string[];
  custom: string[][];
}

interface OpenWave {
  wave: Wave;
  answered: number;
}

export interface EnpsResults {
  open: OpenWave[];
  scheduled: Wave[];
  /** Closed waves, newest first. */
  closed: WaveResult[];
}

function countsOf(h: Histogram): CategoryCounts {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  h.forEach((c, score) => {
    if (score >= 9) promoters += c;
    else if (score >= 7) passives += c;
    else detractors += c;
  });
  return { promoters, passives, detractors };
}

export async function enpsResults(deps: AppDeps, portalId: number): Promise<EnpsResults> {
  const waves = await listWaves(deps.db, portalId);
  const open: OpenWave[] = [];
  const closed: WaveResult[] = [];
  for (const wave of waves) {
    if (wave.status === 'open') open.push({ wave, answered: await answeredSoFar(deps.db, wave.id) });
    if (wave.status === 'closed') closed.push(await waveResult(deps, wave));
  }
  return { open, scheduled: waves.filter((w) => w.status === 'scheduled'), closed };
}

async function waveResult(deps: AppDeps, wave: Wave): Promise<WaveResult> {
  const threshold = wave.minGroup ?? 5;
  const answers = await closedWaveAnswers(deps.db, wave.id, wave.breakdown);
  const byGroup = new Map<string, number[]>();
  for (const a of answers) byGroup.set(a.group, [...(byGroup.get(a.group) ?? []), a.score]);
  const release: Release = releaseGroups(
    [...byGroup].map(([key, scores]) => ({ key, histogram: histogramOf(scores) })),
    threshold,
  );
  const summaryOf = (h: Histogram) => summarize(countsOf(h));
  const shown = release.total !== null;
  return {
    wave,
    threshold,
    total: release.total && summaryOf(release.total),
    histogram: release.total,
    groups: release.shown.map((g) => ({ key: g.key, summary: summaryOf(g.histogram) })),
    other: release.other && summaryOf(release.other),
    merged: release.merged,
    comments: shown ? shuffled(answers.flatMap((a) => (a.why ? [a.why] : []))) : [],
    custom: shown
      ? wave.questions.map((_, i) =>
          shuffled(answers.map((a) => (i === 0 ? a.custom1 : a.custom2)).filter((x): x is string => !!x)),
        )
      : [],
  };
}

export interface TeamComparison {
  team: string;
  enps: NpsSummary;
  customer: NpsSummary;
}

/** eNPS of each shown team next to the NPS its customers gave in the 90 days before the wave closed. */
export async function teamComparison(deps: AppDeps, portalId: number, result: WaveResult): Promise<TeamComparison[]> {
  if (result.wave.breakdown !== 'team' || result.groups.length === 0) return [];
  const owners = await deps.hubspot.forPortal(portalId).listOwners();
  const teamOfOwner = new Map<string, string>();
  for (const o of owners) {
    const primary = o.teams?.find((t) => t.primary) ?? o.teams?.[0];
    if (primary) teamOfOwner.set(o.id, primary.name);
  }
  const to = new Date(`${result.wave.closesOn}T00:00:00Z`);
  const scores = await customerScoresByOwner(deps.db, portalId, new Date(to.getTime() - 90 * DAY_MS), to);
  const byTeam = new Map<string, number[]>();
  for (const s of scores) {
    const team = teamOfOwner.get(s.ownerId);
    if (team) byTeam.set(team, [...(byTeam.get(team) ?? []), s.score]);
  }
  const settings = await getSettings(deps.db, portalId);
  return result.groups.flatMap((g) => {
    const customer = byTeam.get(g.key);
    if (!customer || customer.length === 0) return [];
    return [
      {
        team: g.key,
        enps: g.summary,
        customer: summarize(countsOf(histogramOf(customer)), settings.insights.minAnswers),
      },
    ];
  });
}
