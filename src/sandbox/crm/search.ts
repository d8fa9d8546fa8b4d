import { badRequest } from '../errors';
import { findObjectType, OBJECT_TYPE_INFO, type ObjectType } from './object-types';
import type { Portal } from './portal';
import type { CrmRecord } from './records';
import { propertyValue, recordToWire } from './serialize';

/** CRM search (`POST /crm/v3/objects/{type}/search`) with HubSpot's operators, limits and 10,000-result cap. */
interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: unknown;
  highValue?: unknown;
  values?: unknown[];
}

export interface SearchRequest {
  filterGroups?: Array<{ filters?: SearchFilter[] }>;
  sorts?: Array<string | { propertyName: string; direction?: string }>;
  query?: string;
  properties?: string[];
  limit?: number;
  after?: string | number;
}

const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
]);
const SEARCH_RESULT_CAP = 10_000;

export function search(portal: Portal, type: ObjectType, request: SearchRequest) {
  const groups = request.filterGroups ?? [];
  const filterCount = groups.reduce((n, g) => n + (g.filters ?? []).length, 0);
  if (groups.length > 5) throw badRequest(`Too many filter groups (${groups.length}); the maximum is 5`);
  if (groups.some((g) => (g.filters ?? []).length > 6))
    throw badRequest('Too many filters in a filter group; the maximum is 6');
  if (filterCount > 18) throw badRequest(`Too many filters (${filterCount}); the maximum is 18 in total`);
  for (const f of groups.flatMap((g) => g.filters ?? [])) {
    if (!OPERATORS.has(f.operator)) throw badRequest(`Unknown or unsupported operator ${f.operator}`);
  }
  const limit = request.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw badRequest(`limit must be between 1 and 200, got ${limit}`);
  const offset = request.after === undefined || request.after === '' ? 0 : Number(request.after);
  if (!Number.isInteger(offset) || offset < 0)
    throw badRequest(`after must be a non-negative integer, got ${request.after}`);
  if (offset >= SEARCH_RESULT_CAP) {
    throw badRequest(`Search results are capped at ${SEARCH_RESULT_CAP}: after=${offset} is beyond that`);
  }
  const query = request.query?.trim().toLowerCase();
  const matches: CrmRecord[] = [];
  for (const record of portal.tables[type].all()) {
    if (groups.length > 0 && !groups.some((g) => (g.filters ?? []).every((f) => matches_(portal, type, record, f))))
      continue;
    if (query && !matchesQuery(type, record, query)) continue;
    matches.push(record);
  }
  sortRecords(type, matches, request.sorts ?? []);
  const page = matches.slice(offset, offset + limit);
  const nextOffset = offset + limit;
  return {
    total: matches.length,
    results: page.map((r) => recordToWire(portal, type, r, { properties: request.properties })),
    ...(nextOffset < matches.length ? { paging: { next: { after: String(nextOffset) } } } : {}),
  };
}

function matches_(portal: Portal, type: ObjectType, record: CrmRecord, filter: SearchFilter): boolean {
  if (filter.propertyName.startsWith('associations.')) {
    const toType = findObjectType(filter.propertyName.slice('associations.'.length));
    if (!toType) throw badRequest(`Unknown association filter ${filter.propertyName}`);
    const linked = portal.associations.typesBetween(type, record.id, toType, Number(filter.value)).length > 0;
    return filter.operator === 'NEQ' ? !linked : linked;
  }
  const value = propertyValue(type, record, filter.propertyName);
  const has = value !== undefined && value !== '';
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'EQ':
      return has && compare(value, filter.value) === 0;
    case 'NEQ':
      return !has || compare(value, filter.value) !== 0;
    case 'LT':
      return has && compare(value, filter.value) < 0;
    case 'LTE':
      return has && compare(value, filter.value) <= 0;
    case 'GT':
      return has && compare(value, filter.value) > 0;
    case 'GTE':
      return has && compare(value, filter.value) >= 0;
    case 'BETWEEN':
      return has && compare(value, filter.value) >= 0 && compare(value, filter.highValue) <= 0;
    case 'IN':
      return has && (filter.values ?? []).some((v) => compare(value, v) === 0);
    case 'NOT_IN':
      return !has || !(filter.values ?? []).some((v) => compare(value, v) === 0);
    case 'CONTAINS_TOKEN':
      return has && containsToken(value, String(filter.value ?? ''));
    default:
      return !has || !containsToken(value, String(filter.value ?? ''));
  }
}

/** Numbers compare as numbers, dates (ISO or epoch ms) as instants, everything else case-insensitively. */
function compare(stored: string, wanted: unknown): number {
  const target = String(wanted ?? '');
  const a = Number(stored);
  const b = Number(target);
  if (stored.trim() !== '' && target.trim() !== '' && Number.isFinite(a) && Number.isFinite(b)) return a - b;
  if (/^\d{4}-\d{2}-\d{2}/.test(stored)) {
    const when = Date.parse(stored);
    const other = /^\d+$/.test(target) ? Number(target) : Date.parse(target);
    if (Number.isFinite(when) && Number.isFinite(other)) return when - other;
  }
  return stored.toLowerCase().localeCompare(target.toLowerCase());
}

function containsToken(value: string, token: string): boolean {
  const pattern = new RegExp(
    `^${token
      .toLowerCase()
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')}$`,
  );
  const lower = value.toLowerCase();
  return pattern.test(lower) || lower.split(/[^\p{L}\p{N}]+/u).some((t) => pattern.test(t));
}

function matchesQuery(type: ObjectType, record: CrmRecord, query: string): boolean {
  return OBJECT_TYPE_INFO[type].queryProperties.some((name) =>
    (record.properties[name] ?? '').toLowerCase().includes(query),
  );
}

function sortRecords(type: ObjectType, records: CrmRecord[], sorts: NonNullable<SearchRequest['sorts']>): void {
  const [first] = sorts;
  if (!first) return; // already in id order
  const spec =
    typeof first === 'string'
      ? { propertyName: first.replace(/^-/, ''), descending: first.startsWith('-') }
      : { propertyName: first.propertyName, descending: first.direction === 'DESCENDING' };
  records.sort((x, y) => {
    const a = propertyValue(type, x, spec.propertyName);
    const b = propertyValue(type, y, spec.propertyName);
    if (a === undefined || b === undefined) return a === b ? x.id - y.id : a === undefined ? 1 : -1;
    const order = compare(a, b) || x.id - y.id;
    return spec.descending ? -order : order;
  });
}
