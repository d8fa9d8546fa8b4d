import { badRequest } from '../errors';

/**
 * Evaluates Lists v3 filter branches (the subset of HubSpot's filter language a dynamic list of
 * contacts needs: PROPERTY filters on strings, numbers, booleans and enumerations, plus IS_KNOWN).
 */
export interface FilterBranch {
  filterBranchType: string;
  filterBranchOperator?: string;
  filters?: ListFilter[];
  filterBranches?: FilterBranch[];
}

interface ListFilter {
  filterType: string;
  property?: string;
  operation?: {
    operationType?: string;
    /** HubSpot's own docs show this key instead of operationType; both are accepted. */
    propertyType?: string;
    operator: string;
    value?: unknown;
    values?: unknown[];
    lowerBound?: number;
    upperBound?: number;
    includeObjectsWithNoValueSet?: boolean;
  };
}

export type ValueOf = (property: string) => string | undefined;

const OPERATORS: Record<string, string[]> = {
  ENUMERATION: ['IS_ANY_OF', 'IS_NONE_OF', 'IS_EXACTLY', 'IS_NOT_EXACTLY', 'CONTAINS_ALL', 'DOES_NOT_CONTAIN_ALL'],
  MULTISTRING: ['IS_EQUAL_TO', 'IS_NOT_EQUAL_TO', 'CONTAINS', 'DOES_NOT_CONTAIN', 'STARTS_WITH', 'ENDS_WITH'],
  STRING: ['IS_EQUAL_TO', 'IS_NOT_EQUAL_TO', 'CONTAINS', 'DOES_NOT_CONTAIN', 'STARTS_WITH', 'ENDS_WITH'],
  NUMBER: [
    'IS_EQUAL_TO',
    'IS_NOT_EQUAL_TO',
    'IS_GREATER_THAN',
    'IS_GREATER_THAN_OR_EQUAL_TO',
    'IS_LESS_THAN',
    'IS_LESS_THAN_OR_EQUAL_TO',
    'IS_BETWEEN',
    'IS_NOT_BETWEEN',
  ],
  BOOL: ['IS_EQUAL_TO', 'IS_NOT_EQUAL_TO'],
  ALL_PROPERTY: ['IS_KNOWN', 'IS_UNKNOWN'],
};

/** HubSpot insists on an OR root whose children are AND branches; anything else is refused at create time. */
export function checkFilterBranch(root: FilterBranch): void {
  if (root.filterBranchType !== 'OR') throw badRequest('The root filter branch must have filterBranchType OR');
  if ((root.filters ?? []).length > 0) throw badRequest('The root OR filter branch cannot hold filters directly');
  for (const branch of root.filterBranches ?? []) {
    if (branch.filterBranchType !== 'AND')
      throw badRequest('Filter branches under the root OR branch must be AND branches');
    checkBranch(branch);
  }
}

function checkBranch(branch: FilterBranch): void {
  for (const filter of branch.filters ?? []) {
    if (filter.filterType !== 'PROPERTY' || !filter.property || !filter.operation) {
      throw badRequest(`Unsupported filter ${JSON.stringify(filter)}: the sandbox evaluates PROPERTY filters only`);
    }
    const kind = filter.operation.operationType ?? filter.operation.propertyType ?? '';
    if (!OPERATORS[kind]?.includes(filter.operation.operator)) {
      throw badRequest(`Unsupported operation ${kind}/${filter.operation.operator} on property ${filter.property}`);
    }
  }
  for (const child of branch.filterBranches ?? []) {
    if (child.filterBranchType !== 'AND' && child.filterBranchType !== 'OR') {
      throw badRequest(`Unsupported filterBranchType ${child.filterBranchType}`);
    }
    checkBranch(child);
  }
}

export function matchesBranch(branch: FilterBranch, valueOf: ValueOf): boolean {
  const results = [
    ...(branch.filters ?? []).map((f) => matchesFilter(f, valueOf)),
    ...(branch.filterBranches ?? []).map((b) => matchesBranch(b, valueOf)),
  ];
  return branch.filterBranchType === 'OR' ? results.some(Boolean) : results.every(Boolean);
}

function matchesFilter(filter: ListFilter, valueOf: ValueOf): boolean {
  const op = filter.operation!;
  const kind = op.operationType ?? op.propertyType;
  const raw = valueOf(filter.property!);
  const value = raw === undefined || raw === '' ? undefined : raw;
  if (kind === 'ALL_PROPERTY') return op.operator === 'IS_KNOWN' ? value !== undefined : value === undefined;
  if (value === undefined) return op.includeObjectsWithNoValueSet === true;
  const lower = value.toLowerCase();
  const wanted = (op.values ?? (op.value === undefined ? [] : [op.value])).map((v) => String(v).toLowerCase());
  const one = wanted[0] ?? '';
  switch (kind) {
    case 'ENUMERATION': {
      const have = lower.split(';');
      switch (op.operator) {
        case 'IS_ANY_OF':
          return have.some((v) => wanted.includes(v));
        case 'IS_NONE_OF':
          return !have.some((v) => wanted.includes(v));
        case 'IS_EXACTLY':
          return have.length === wanted.length && wanted.every((v) => have.includes(v));
        case 'IS_NOT_EXACTLY':
          return !(have.length === wanted.length && wanted.every((v) => have.includes(v)));
        case 'CONTAINS_ALL':
          return wanted.every((v) => have.includes(v));
        default:
          return !wanted.every((v) => have.includes(v));
      }
    }
    case 'NUMBER': {
      const n = Number(value);
      const target = Number(op.value);
      switch (op.operator) {
        case 'IS_EQUAL_TO':
          return n === target;
        case 'IS_NOT_EQUAL_TO':
          return n !== target;
        case 'IS_GREATER_THAN':
          return n > target;
        case 'IS_GREATER_THAN_OR_EQUAL_TO':
          return n >= target;
        case 'IS_LESS_THAN':
          return n < target;
        case 'IS_LESS_THAN_OR_EQUAL_TO':
          return n <= target;
        case 'IS_BETWEEN':
          return n >= Number(op.lowerBound) && n <= Number(op.upperBound);
        default:
          return !(n >= Number(op.lowerBound) && n <= Number(op.upperBound));
      }
    }
    case 'BOOL':
      return (lower === one) === (op.operator === 'IS_EQUAL_TO');
    default:
      switch (op.operator) {
        case 'IS_EQUAL_TO':
          return wanted.includes(lower);
        case 'IS_NOT_EQUAL_TO':
          return !wanted.includes(lower);
        case 'CONTAINS':
          return wanted.some((v) => lower.includes(v));
        case 'DOES_NOT_CONTAIN':
          return !wanted.some((v) => lower.includes(v));
        case 'STARTS_WITH':
          return wanted.some((v) => lower.startsWith(v));
        default:
          return wanted.some((v) => lower.endsWith(v));
      }
  }
}
