// Who the office TV celebrates. The screen faces the whole company, so it only names owners who did well: they
// earned promoters and their customers' NPS is at or above the portal's NPS for the same period. The full
// ranking, with margins and the owners below the bar, stays on the signed-in dashboard.

export interface HeroCandidate {
  /** '' collects the answers of contacts without an owner: never a hero. */
  ownerId: string;
  label: string;
  nps: number | null;
  promoters: number;
}

/** Real owners who earned promoters and reach the portal's NPS, by promoters earned, then NPS, then name. */
export function tvHeroes<T extends HeroCandidate>(owners: readonly T[], portalNps: number | null, limit: number): T[] {
  if (portalNps === null) return [];
  return owners
    .filter((o) => o.ownerId !== '' && o.promoters > 0 && o.nps !== null && o.nps >= portalNps)
    .sort(
      (a, b) =>
        b.promoters - a.promoters || (b.nps as number) - (a.nps as number) || a.label.localeCompare(b.label, 'en'),
    )
    .slice(0, limit);
}

/** A person's first name for the office screen, never the full name or email. */
export function firstNameOnly(name: string | null): string {
  const first = name?.trim().split(/\s+/)[0];
  return first ? first : 'A customer';
}
