import type { Settings } from '../core';

// The review sites a promoter is asked to review on (pure): up to three from settings (thankYou.reviewSites), else
// the single `followUps.reviewUrl` of earlier versions. The redirect (GET /r/:token/:site) only ever sends a
// browser to one of these configured addresses, picked by its position: never to an address taken from the request.

export interface ReviewSite {
  name: string;
  url: string;
}

export const MAX_REVIEW_SITES = 3;

export function reviewSitesOf(settings: Pick<Settings, 'thankYou' | 'followUps'>): ReviewSite[] {
  const sites = settings.thankYou.reviewSites.slice(0, MAX_REVIEW_SITES);
  if (sites.length > 0) return sites.map((s) => ({ name: s.name, url: s.url }));
  const legacy = settings.followUps.reviewUrl;
  if (!legacy) return [];
  return [{ name: hostLabel(legacy), url: legacy }];
}

/** "www.g2.com" → "g2.com": the name a legacy review URL is shown under. */
function hostLabel(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}

/**
 * The site a redirect's `site` segment stands for: a position "0".."2" among the configured sites, else null
 * (anything else — a URL, a name, "01", a position without a site — is not a target).
 */
export function reviewTarget(settings: Pick<Settings, 'thankYou' | 'followUps'>, site: string): ReviewSite | null {
  if (!/^[0-9]$/.test(site)) return null;
  return reviewSitesOf(settings)[Number(site)] ?? null;
}

/** The tracked link for one site on the thank-you page (relative: the respondent is on our origin). */
export function reviewLinkPath(token: string, index: number): string {
  return `/r/${encodeURIComponent(token)}/${index}`;
}
