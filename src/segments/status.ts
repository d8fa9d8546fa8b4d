import type { AppDeps, SegmentDimensionSetting } from '../core';
import { getSettings } from '../core';
import { dimensionName, dimensionSignature, type DimensionKind } from './banding';
import { listDimensionStatus, type DimensionState } from './segments.repo';

// What the admin page, the JSON API and the dashboard see of the custom dimensions.

export interface CustomDimension extends SegmentDimensionSetting {
  /** `contact.plan_tier`: its name in `split=`, `segment=` and the API. */
  name: string;
  label: string;
  kind: DimensionKind | null;
  /** pending: saved, its backfill not yet recorded. */
  state: DimensionState | 'pending';
  done: number;
  total: number;
  message: string | null;
}

export async function customDimensions(db: AppDeps['db'], portalId: number): Promise<CustomDimension[]> {
  const [settings, statuses] = await Promise.all([getSettings(db, portalId), listDimensionStatus(db, portalId)]);
  const byName = new Map(statuses.map((s) => [s.dimension, s]));
  return settings.segments.dimensions.map((d) => {
    const name = dimensionName(d);
    const s = byName.get(name);
    const current = s && s.signature === dimensionSignature(d) ? s : undefined;
    return {
      ...d,
      name,
      label: d.label ?? current?.label ?? d.property,
      kind: current?.kind ?? null,
      state: current?.state ?? 'pending',
      done: current?.done ?? 0,
      total: current?.total ?? 0,
      message: current?.message ?? null,
    };
  });
}

/** Dimensions the dashboard can split by: known kind, not refused (values fill in while backfilling). */
export async function segmentableDimensions(
  db: AppDeps['db'],
  portalId: number,
): Promise<Array<{ name: string; label: string; kind: DimensionKind; state: DimensionState }>> {
  return (await customDimensions(db, portalId)).flatMap((d) =>
    d.kind && d.state !== 'refused' && d.state !== 'pending'
      ? [{ name: d.name, label: d.label, kind: d.kind, state: d.state }]
      : [],
  );
}
