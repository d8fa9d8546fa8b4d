import type { AppDeps } from '../core';

// What the forms offer from the portal itself: its HubSpot owners (the default task owner) and its deal and
// ticket pipelines (trigger rules). Read when a page or a save needs them; a form waits at most BUDGET_MS, and
// when HubSpot cannot answer the caller falls back (a text field, a skipped check) instead of failing.

const BUDGET_MS = 4_000;

export interface OwnerChoice {
  id: string;
  label: string;
}

export interface PipelineChoice {
  id: string;
  label: string;
  stages: Array<{ id: string; label: string }>;
}

export type ObjectKind = 'deal' | 'ticket';

async function withinBudget<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`HubSpot did not answer within ${BUDGET_MS} ms`)), BUDGET_MS);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The portal's owners by name, or undefined when HubSpot could not be reached. */
export async function ownerChoices(deps: AppDeps, portalId: number): Promise<OwnerChoice[] | undefined> {
  try {
    const owners = await withinBudget(deps.hubspot.forPortal(portalId).listOwners());
    return owners
      .map((o) => ({ id: o.id, label: [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email || o.id }))
      .sort((a, b) => a.label.localeCompare(b.label));
  } catch (err) {
    deps.logger.warn({ portalId, err: (err as Error).message }, 'owners unavailable for the settings workspace');
    return undefined;
  }
}

/** The portal's pipelines of one object type in HubSpot's order, or undefined when HubSpot could not be reached. */
export async function pipelineChoices(
  deps: AppDeps,
  portalId: number,
  kind: ObjectKind,
): Promise<PipelineChoice[] | undefined> {
  try {
    const pipelines = await withinBudget(deps.hubspot.forPortal(portalId).getPipelines(`${kind}s`));
    return [...pipelines]
      .sort((a, b) => a.displayOrder - b.displayOrder)
      .map((p) => ({
        id: p.id,
        label: p.label,
        stages: [...p.stages]
          .sort((a, b) => a.displayOrder - b.displayOrder)
          .map((s) => ({ id: s.id, label: s.label })),
      }));
  } catch (err) {
    deps.logger.warn(
      { portalId, kind, err: (err as Error).message },
      'pipelines unavailable for the settings workspace',
    );
    return undefined;
  }
}

/** Stages a rule may name: those of its pipeline, or of every pipeline for "*" (each stage id once). */
export function stagesFor(pipelines: PipelineChoice[], pipelineId: string): Array<{ id: string; label: string }> {
  if (pipelineId !== '*') return pipelines.find((p) => p.id === pipelineId)?.stages ?? [];
  const seen = new Map<string, string[]>();
  for (const p of pipelines)
    for (const s of p.stages) seen.set(s.id, [...(seen.get(s.id) ?? []), `${s.label} (${p.label})`]);
  return [...seen].map(([id, labels]) => ({ id, label: labels.join(', ') }));
}
