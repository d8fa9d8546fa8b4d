import type { AppDeps } from '../core';
import { getSettings } from '../core';
import { reviewsSection } from './dashboard-section.view';
import { latestReferrals } from './referrals.repo';
import { reviewClickCounts } from './review-clicks.repo';
import { reviewSitesOf } from './review-sites';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The dashboard section for a period of whole UTC days (both included), owners named through `owners`. */
export async function renderReviewsSection(
  deps: Pick<AppDeps, 'db'>,
  portalId: number,
  period: { from: string; to: string },
  owners: { labels(portalId: number): Promise<Map<string, string> | undefined> },
): Promise<string> {
  const from = new Date(`${period.from}T00:00:00Z`);
  const to = new Date(new Date(`${period.to}T00:00:00Z`).getTime() + DAY_MS);
  const [clicks, referrals, labels, settings] = await Promise.all([
    reviewClickCounts(deps.db, portalId, from, to),
    latestReferrals(deps.db, portalId, from, to, 25),
    owners.labels(portalId),
    getSettings(deps.db, portalId),
  ]);
  return reviewsSection({
    period,
    clicks,
    referrals,
    sitesConfigured: reviewSitesOf(settings).length > 0,
    ownerLabel: (id) => (id ? (labels?.get(id) ?? `Owner ${id}`) : 'No owner'),
  });
}
