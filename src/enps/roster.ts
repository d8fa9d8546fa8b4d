import type { AppDeps, Settings } from '../core';
import type { Owner } from '../hubspot';
import { normaliseLanguage } from '../surveys';
import { listEmployees } from './employees.repo';
import type { Employee } from './employees.csv';
import { UNKNOWN } from './enps.rules';
import type { Invitee } from './waves.repo';

// Who a wave asks: the portal's active HubSpot users with an email (in the chosen teams, or all of them), plus the
// uploaded employee list. A person on both is asked once; the list's team, location and tenure win.

export interface HubSpotTeam {
  id: string;
  name: string;
  members: number;
}

/** The HubSpot teams of the portal, read through its owners. */
export function teamsOf(owners: Owner[]): HubSpotTeam[] {
  const teams = new Map<string, HubSpotTeam>();
  for (const o of owners)
    for (const t of o.teams ?? []) {
      const team = teams.get(t.id) ?? { id: t.id, name: t.name || `Team ${t.id}`, members: 0 };
      team.members++;
      teams.set(t.id, team);
    }
  return [...teams.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function chosenTeams(settings: Settings): Set<string> {
  return new Set(
    Object.entries(settings.enps.teams)
      .filter(([, on]) => on)
      .map(([id]) => id),
  );
}

/** Pure: the invitees from owners and the employee list. */
export function buildRoster(owners: Owner[], employees: Employee[], settings: Settings): Invitee[] {
  const chosen = chosenTeams(settings);
  const fallback = settings.defaultLanguage;
  const people = new Map<string, Invitee>();
  if (settings.enps.includeHubSpotUsers)
    for (const o of owners) {
      const email = o.email.trim().toLowerCase();
      if (!email.includes('@')) continue;
      const teams = o.teams ?? [];
      if (chosen.size > 0 && !teams.some((t) => chosen.has(t.id))) continue;
      const primary = teams.find((t) => t.primary) ?? teams[0];
      people.set(email, {
        email,
        firstName: o.firstName?.trim() || null,
        language: fallback,
        team: primary?.name || UNKNOWN,
        tenure: UNKNOWN,
        location: UNKNOWN,
      });
    }
  for (const e of employees) {
    const known = people.get(e.email);
    people.set(e.email, {
      email: e.email,
      firstName: e.firstName ?? known?.firstName ?? null,
      language: normaliseLanguage(e.language, known?.language ?? fallback),
      team: e.team ?? known?.team ?? UNKNOWN,
      tenure: e.tenure,
      location: e.location ?? UNKNOWN,
    });
  }
  return [...people.values()];
}

export async function rosterFor(deps: AppDeps, portalId: number, settings: Settings): Promise<Invitee[]> {
  const owners = settings.enps.includeHubSpotUsers ? await deps.hubspot.forPortal(portalId).listOwners() : [];
  return buildRoster(owners, await listEmployees(deps.db, portalId), settings);
}
