import type { AppDeps } from '../core';
import type { ContactList } from '../hubspot';
import type { Category } from '../core';
import { AT_RISK_DROP } from './score-change.rules';
import { saveSegmentList, type ListKey } from './setup.repo';

// The segmentation lists: dynamic contact lists on nps_category (three), plus "NPS At risk" on the score-change
// properties, so HubSpot keeps their membership current as the write-back changes the properties. Created once;
// on reinstall they are found by name and reused.

/** One PROPERTY filter of Lists v3; values never match a contact without a value. */
const enumIs = (property: string, values: string[]) => ({
  filterType: 'PROPERTY',
  property,
  operation: { operationType: 'ENUMERATION', operator: 'IS_ANY_OF', values, includeObjectsWithNoValueSet: false },
});
// NUMBER operations: HubSpot's Segments (Lists) API guide (developers.hubspot.com/docs/api-reference/latest/crm/lists/
// guide, "Update segment filters") shows `{operationType:'NUMBER', operator:'IS_GREATER_THAN_OR_EQUAL_TO', value}`;
// the SDK's PublicNumberPropertyOperation types operator as a free string, with includeObjectsWithNoValueSet required.
const numberIs = (property: string, operator: string, value: number) => ({
  filterType: 'PROPERTY',
  property,
  operation: { operationType: 'NUMBER', operator, value, includeObjectsWithNoValueSet: false },
});

/** Lists v3 filter: the root must be OR with AND branches under it (HUBSPOT.md §5). */
const anyOf = (...branches: unknown[][]) => ({
  filterBranchType: 'OR',
  filters: [],
  filterBranches: branches.map((filters) => ({ filterBranchType: 'AND', filterBranches: [], filters })),
});

const categoryFilter = (category: Category) => anyOf([enumIs('nps_category', [category])]);

/**
 * At risk (score-change.rules.ts): now a detractor after a previous answer of 7 or more (promoter or passive), or
 * a drop of AT_RISK_DROP points or more. The properties are cleared when the current answer expires, so the
 * contact leaves the list with its score.
 */
const atRiskFilter = () =>
  anyOf(
    [enumIs('nps_category', ['detractor']), numberIs('nps_previous_score', 'IS_GREATER_THAN_OR_EQUAL_TO', 7)],
    [numberIs('nps_score_change', 'IS_LESS_THAN_OR_EQUAL_TO', -AT_RISK_DROP)],
  );

const SEGMENTS: ReadonlyArray<{ category: ListKey; name: string; filter: () => unknown }> = [
  { category: 'promoter', name: 'NPS Promoters', filter: () => categoryFilter('promoter') },
  { category: 'passive', name: 'NPS Passives', filter: () => categoryFilter('passive') },
  { category: 'detractor', name: 'NPS Detractors', filter: () => categoryFilter('detractor') },
  { category: 'at_risk', name: 'NPS At risk', filter: atRiskFilter },
];

export interface SegmentList {
  category: ListKey;
  listId: string;
  name: string;
  created: boolean;
}

export async function ensureLists(
  deps: Pick<AppDeps, 'hubspot' | 'db' | 'logger' | 'health'>,
  portalId: number,
): Promise<SegmentList[]> {
  const hubspot = deps.hubspot.forPortal(portalId);
  const log = deps.logger.child({ module: 'lists', portalId });
  const out: SegmentList[] = [];
  for (const { category, name, filter } of SEGMENTS) {
    let list: ContactList | null = await hubspot.findListByName(name);
    let created = false;
    if (!list) {
      try {
        list = await hubspot.createList(name, filter());
        created = true;
      } catch (err) {
        // A concurrent setup may have created it; HubSpot refuses duplicate list names.
        list = await hubspot.findListByName(name);
        if (!list) throw err;
      }
    }
    const healthKey = `lists:${portalId}:${name}`;
    if (list.processingType !== 'DYNAMIC') {
      const message = `HubSpot list "${name}" (${list.listId}) exists but is ${list.processingType}, not DYNAMIC; NPS Loop leaves it unchanged, so its membership does not follow the nps properties`;
      log.error({ listId: list.listId }, message);
      deps.health.report(healthKey, { portalId, message });
    } else {
      deps.health.clear(healthKey);
    }
    await saveSegmentList(deps.db, portalId, { category, listId: list.listId, name });
    out.push({ category, listId: list.listId, name, created });
  }
  if (out.some((l) => l.created))
    log.info({ lists: out.filter((l) => l.created).map((l) => l.name) }, 'NPS segmentation lists created');
  return out;
}
