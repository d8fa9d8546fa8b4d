import { OBJECT_TYPE_INFO, type ObjectType } from './object-types';

/**
 * HubSpot-defined association types between the modelled objects (ids from the SDK's AssociationTypes
 * enum, see HUBSPOT.md §5). Each association exists in both directions, each with its own type id.
 */
export interface AssociationType {
  from: ObjectType;
  to: ObjectType;
  typeId: number;
  reverseTypeId: number;
  category: 'HUBSPOT_DEFINED';
  label: string | null;
  /** "Primary" company link: at most one per contact, deal or ticket, and it always comes with the unlabeled one. */
  primary: boolean;
  /** The unlabeled type that `associations/default` and v3 "default" create. */
  isDefault: boolean;
  /** The v3 name, e.g. `contact_to_company` (used by `?associations=` on v3 reads). */
  v3Name: string;
}

type Pair = [from: ObjectType, to: ObjectType, typeId: number, reverseTypeId: number, kind: 'primary' | 'default'];

const PAIRS: Pair[] = [
  ['contacts', 'companies', 1, 2, 'primary'],
  ['contacts', 'companies', 279, 280, 'default'],
  ['contacts', 'deals', 4, 3, 'default'],
  ['contacts', 'tickets', 15, 16, 'default'],
  ['contacts', 'tasks', 203, 204, 'default'],
  ['companies', 'deals', 6, 5, 'primary'],
  ['companies', 'deals', 342, 341, 'default'],
  ['companies', 'tickets', 25, 26, 'primary'],
  ['companies', 'tickets', 340, 339, 'default'],
  ['companies', 'tasks', 191, 192, 'default'],
  ['deals', 'tickets', 27, 28, 'default'],
  ['deals', 'tasks', 215, 216, 'default'],
  ['tickets', 'tasks', 229, 230, 'default'],
  ['contacts', 'contacts', 449, 449, 'default'],
  ['companies', 'companies', 450, 450, 'default'],
  ['deals', 'deals', 451, 451, 'default'],
  ['tickets', 'tickets', 452, 452, 'default'],
];

const BY_KEY = new Map<string, AssociationType>();
const key = (from: ObjectType, to: ObjectType, typeId: number): string => `${from}>${to}>${typeId}`;

function register(from: ObjectType, to: ObjectType, typeId: number, reverseTypeId: number, kind: Pair[4]): void {
  const base = `${OBJECT_TYPE_INFO[from].singular}_to_${OBJECT_TYPE_INFO[to].singular}`;
  const hasPrimary = PAIRS.some(
    ([f, t, , , k]) => k === 'primary' && ((f === from && t === to) || (f === to && t === from)),
  );
  BY_KEY.set(key(from, to, typeId), {
    from,
    to,
    typeId,
    reverseTypeId,
    category: 'HUBSPOT_DEFINED',
    label: kind === 'primary' ? 'Primary' : null,
    primary: kind === 'primary',
    isDefault: kind === 'default',
    v3Name: kind === 'default' && hasPrimary ? `${base}_unlabeled` : base,
  });
}

for (const [from, to, typeId, reverseTypeId, kind] of PAIRS) {
  register(from, to, typeId, reverseTypeId, kind);
  if (from !== to) register(to, from, reverseTypeId, typeId, kind);
}

export function associationType(from: ObjectType, to: ObjectType, typeId: number): AssociationType | undefined {
  return BY_KEY.get(key(from, to, typeId));
}

export function defaultAssociationType(from: ObjectType, to: ObjectType): AssociationType | undefined {
  for (const t of BY_KEY.values()) if (t.from === from && t.to === to && t.isDefault) return t;
  return undefined;
}

/** v3 create bodies name only the type id; the target object type follows from it. */
export function associationTypesFrom(from: ObjectType, typeId: number): AssociationType[] {
  return [...BY_KEY.values()].filter((t) => t.from === from && t.typeId === typeId);
}

export function allAssociationTypes(from: ObjectType, to: ObjectType): AssociationType[] {
  return [...BY_KEY.values()].filter((t) => t.from === from && t.to === to);
}
