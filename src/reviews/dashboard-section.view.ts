import { escapeHtml as e } from '../shared';
import type { ReviewClickCounts } from './review-clicks.repo';
import type { ReferralRow } from './referrals.repo';

// The dashboard's "Review clicks and referrals" section (pure): clicks per site and per owner over the period, and
// the newest referrals. Every text from a respondent or HubSpot is escaped.

export interface ReviewSectionData {
  period: { from: string; to: string };
  clicks: ReviewClickCounts;
  referrals: ReferralRow[];
  ownerLabel(ownerId: string | null): string;
  /** Whether any review site is configured (else the section says where to add one). */
  sitesConfigured: boolean;
}

export function reviewsSection(d: ReviewSectionData): string {
  const owners = d.clicks.byOwner
    .map((o) => `<tr><th scope="row">${e(d.ownerLabel(o.ownerId))}</th><td>${o.clicks}</td><td>${o.contacts}</td></tr>`)
    .join('\n');
  const sites = d.clicks.bySite.map((s) => `${e(s.site)}: ${s.clicks}`).join(' · ');
  const referrals = d.referrals
    .map((r) => {
      const who = [r.contactName, r.contactEmail].filter(Boolean).join(' · ') || `Contact ${r.contactId}`;
      return `<li><blockquote>${e(r.referral)}</blockquote><p class="meta">${e(who)} · ${e(d.ownerLabel(r.ownerId))} · ${e(r.at.toISOString().slice(0, 10))}</p></li>`;
    })
    .join('\n');
  return `<section class="card wide" id="reviews" aria-labelledby="h-reviews">
<h2 id="h-reviews">Review clicks and referrals</h2>
${d.sitesConfigured ? '' : '<p class="hint">No review sites are set up: add up to three under Settings → Thank-you page to ask promoters for a review.</p>'}
<p><span class="review-clicks-total">${d.clicks.total}</span> review link clicks by ${d.clicks.contacts} contacts from ${e(d.period.from)} to ${e(d.period.to)}${sites ? ` (${sites})` : ''}.</p>
${
  owners
    ? `<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Owner</th><th scope="col">Review clicks</th><th scope="col">Contacts</th></tr></thead>
<tbody>${owners}</tbody></table></div>`
    : ''
}
<h3>Referrals</h3>
${referrals ? `<ul class="comments referrals">${referrals}</ul>` : '<p>No referrals in this period.</p>'}
</section>`;
}
