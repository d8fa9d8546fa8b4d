import type { AppDeps } from '../core';
import type { ContactList } from '../hubspot';
import type { Category } from '../core';
import { saveSegmentList } from './setup.repo';

// The three segmentation lists: dynamic contact lists on nps_category, so HubSpot keeps their membership current
// as the write-back changes the property. Created once; on reinstall they are found by name and reused.

const SEGMENTS: ReadonlyArray<{ category: Category; name: string }> = [
  { category: 'promoter', name: 'NPS Promoters' },
  { category: 'passive', name: 'NPS Passives' },
  { category: 'detractor', name: 'NPS Detractors' },
];

/** Lists v3 filter: the root must be OR with AND branches under it (HUBSPOT.md §5). */
function segmentFilter(category: Category): unknown {
  return {
    filterBranchType: 'OR',
    filters: [],
    filterBranches: [
      {
        filterBranchType: 'AND',
        filterBranches: [],
        filters: [
          {
            filterType: 'PROPERTY',
            property: 'nps_category',
            operation: {
              operationType: 'ENUMERATION',
              operator: 'IS_ANY_OF',
              values: [category],
              includeObjectsWithNoValueSet: false,
            },
          },
        ],
      },
    ],
  };
}

export interface SegmentList {
  category: Category;
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
  for (const { category, name } of SEGMENTS) {
    let list: ContactList | null = await hubspot.findListByName(name);
    let created = false;
    if (!list) {
      try {
        list = await hubspot.createList(name, segmentFilter(category));
        created = true;
      } catch (err) {
        // A concurrent setup may have created it; HubSpot refuses duplicate list names.
        list = await hubspot.findListByName(name);
        if (!list) throw err;
      }
    }
    const healthKey = `lists:${portalId}:${name}`;
    if (list.processingType !== 'DYNAMIC') {
      const message = `HubSpot list "${name}" (${list.listId}) exists but is ${list.processingType}, not DYNAMIC; NPS Loop leaves it unchanged, so its membership does not follow nps_category`;
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
