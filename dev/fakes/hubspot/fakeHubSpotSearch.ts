import { validationError } from './fakeHubSpotHttp.js';
import type { HubSpotObjectType, HubSpotRecord } from './fakeHubSpotStore.js';

/** "The maximum number of supported objects per page is 200"; 10 when unset (HubSpot search guide). */
const maxSearchLimit = 200;
const defaultSearchLimit = 10;

interface Filter {
  propertyName: string;
  operator: string;
  value?: string;
  highValue?: string;
  values?: string[];
}

export interface SearchRequest {
  groups: Filter[][];
  sort: { propertyName: string; descending: boolean };
  query?: string;
  properties?: string[];
  limit: number;
  offset: number;
}

/** Free-text `query` looks in these (HubSpot's default searchable properties, as far as this fake has them). */
const searchable: Record<HubSpotObjectType, readonly string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'company'],
  companies: ['name', 'domain'],
  deals: ['dealname'],
};

const operators = new Set(['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']);
const dateProperties = new Set(['createdate', 'lastmodifieddate', 'hs_lastmodifieddate', 'closedate']);
const numberProperties = new Set(['hs_object_id', 'amount']);

/** Parses `POST …/search`'s body; shapes HubSpot would not build a request from are 400 VALIDATION_ERROR. */
export function parseSearch(body: unknown): SearchRequest {
  if (!isObject(body)) throw validationError('Invalid input JSON: expected an object');
  const groups = (Array.isArray(body.filterGroups) ? body.filterGroups : []).map((group) => {
    const filters = isObject(group) && Array.isArray(group.filters) ? group.filters : [];
    return filters.map((filter) => parseFilter(filter));
  });
  const after = body.after ?? '0';
  if (typeof after !== 'string' && typeof after !== 'number') throw validationError('Invalid input JSON: after must be an integer');
  if (!/^\d+$/.test(String(after))) throw validationError(`Invalid input JSON: Cannot deserialize value of type \`int\` from String "${String(after)}": not a valid \`int\` value`);
  const limit = typeof body.limit === 'number' && body.limit > 0 ? Math.min(Math.floor(body.limit), maxSearchLimit) : defaultSearchLimit;
  const properties = Array.isArray(body.properties) ? body.properties.filter((name): name is string => typeof name === 'string') : undefined;
  return {
    groups,
    sort: parseSort(body.sorts),
    ...(typeof body.query === 'string' && body.query !== '' ? { query: body.query } : {}),
    ...(properties && properties.length > 0 ? { properties } : {}),
    limit,
    offset: Number(after),
  };
}

/**
 * The unarchived records that match (filter groups OR'd, filters within one AND'd), in the
 * requested order with ties broken by id, so that offset paging over an unchanged portal is stable.
 */
export function runSearch(records: HubSpotRecord[], type: HubSpotObjectType, request: SearchRequest): HubSpotRecord[] {
  const words = request.query?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  const matching = records.filter(
    (record) =>
      !record.archived &&
      (request.groups.length === 0 || request.groups.some((group) => group.every((filter) => matches(record, filter)))) &&
      words.every((word) => searchable[type].some((name) => record.properties[name]?.toLowerCase().includes(word) === true)),
  );
  const { propertyName, descending } = request.sort;
  return matching.sort((a, b) => {
    const order = compare(propertyName, a.properties[propertyName] ?? null, b.properties[propertyName] ?? null);
    return (descending ? -order : order) || Number(a.id) - Number(b.id);
  });
}

function parseFilter(filter: unknown): Filter {
  if (!isObject(filter) || typeof filter.propertyName !== 'string' || typeof filter.operator !== 'string') {
    throw validationError('Invalid input JSON: Cannot build Filter, some of required attributes are not set [propertyName, operator]');
  }
  if (!operators.has(filter.operator)) throw validationError(`Invalid input JSON: unknown operator ${filter.operator}`);
  return {
    propertyName: filter.propertyName,
    operator: filter.operator,
    ...(filter.value === undefined ? {} : { value: String(filter.value) }),
    ...(filter.highValue === undefined ? {} : { highValue: String(filter.highValue) }),
    ...(Array.isArray(filter.values) ? { values: filter.values.map(String) } : {}),
  };
}

/**
 * `sorts` is `[{propertyName, direction}]` per the guide; the client's types make it `string[]`,
 * read here as a property name, `-name` descending. Unsorted searches come back by creation
 * date, oldest first.
 */
function parseSort(sorts: unknown): SearchRequest['sort'] {
  const first: unknown = Array.isArray(sorts) ? sorts[0] : undefined;
  if (typeof first === 'string' && first !== '') return first.startsWith('-') ? { propertyName: first.slice(1), descending: true } : { propertyName: first, descending: false };
  if (isObject(first) && typeof first.propertyName === 'string') return { propertyName: first.propertyName, descending: first.direction === 'DESCENDING' };
  return { propertyName: 'createdate', descending: false };
}

function matches(record: HubSpotRecord, filter: Filter): boolean {
  const actual = record.properties[filter.propertyName] ?? null;
  // An unset property matches no comparison (only NOT_HAS_PROPERTY, NEQ and NOT_IN).
  const against = (value: string | undefined) => (value === undefined || actual === null ? Number.NaN : compare(filter.propertyName, actual, value));
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return actual !== null;
    case 'NOT_HAS_PROPERTY':
      return actual === null;
    case 'EQ':
      return against(filter.value) === 0;
    case 'NEQ':
      return against(filter.value) !== 0;
    case 'LT':
      return against(filter.value) < 0;
    case 'LTE':
      return against(filter.value) <= 0;
    case 'GT':
      return against(filter.value) > 0;
    case 'GTE':
      return against(filter.value) >= 0;
    case 'BETWEEN':
      return against(filter.value) >= 0 && against(filter.highValue) <= 0;
    case 'IN':
      return (filter.values ?? []).some((value) => against(value) === 0);
    case 'NOT_IN':
      return !(filter.values ?? []).some((value) => against(value) === 0);
    case 'CONTAINS_TOKEN':
      return containsToken(actual, filter.value);
    default:
      return !containsToken(actual, filter.value);
  }
}

/** Wildcards (`*`) as HubSpot's token search has them; case-insensitive. */
function containsToken(actual: string | null, token: string | undefined): boolean {
  if (actual === null || token === undefined) return false;
  const pattern = token.toLowerCase().split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return actual.toLowerCase().split(/[\s@.,;]+/).some((word) => new RegExp(`^${pattern}$`).test(word)) || new RegExp(`^${pattern}$`).test(actual.toLowerCase());
}

/**
 * Negative, zero or positive; NaN when either side cannot be read (no filter matches then). Dates
 * compare by instant, written as epoch ms or ISO 8601 (HubSpot accepts both); numbers numerically;
 * text case-insensitively. Unset values sort last.
 */
function compare(property: string, actual: string | null, value: string | null): number {
  if (actual === null || value === null) return actual === value ? 0 : actual === null ? 1 : -1;
  if (dateProperties.has(property)) return instant(actual) - instant(value);
  if (numberProperties.has(property)) return Number(actual) - Number(value);
  const a = actual.toLowerCase();
  const b = value.toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

const instant = (value: string) => (/^\d+$/.test(value) ? Number(value) : Date.parse(value));

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
