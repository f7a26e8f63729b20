import type { FakeStream } from './fakeWooCommerceData.js';
import type { ListQuery } from './fakeWooCommerceStore.js';

type Orderby = ListQuery['orderby'];

/**
 * `orderby` values the fake implements, per collection, mapped to its sort keys. WooCommerce also
 * accepts `name` (customers) and `title`, `slug`, `price`, ... (products); the fake rejects those
 * rather than silently sorting differently. Customers have no `modified` order and no
 * `modified_after` filter at all (https://github.com/woocommerce/woocommerce/issues/41371).
 */
const orderbyByStream: Record<FakeStream, Record<string, Orderby>> = {
  customers: { id: 'id', include: 'include', registered_date: 'date' },
  products: { date: 'date', modified: 'modified', id: 'id', include: 'include' },
  orders: { date: 'date', modified: 'modified', id: 'id', include: 'include' },
};
/** Real defaults, except customers (`name` there). */
const defaults: Record<FakeStream, { orderby: Orderby; order: 'asc' | 'desc' }> = {
  customers: { orderby: 'id', order: 'asc' },
  products: { orderby: 'date', order: 'desc' },
  orders: { orderby: 'date', order: 'desc' },
};

/**
 * Validates list parameters the way the WordPress REST API does: on failure, one message per
 * parameter, returned as 400 `rest_invalid_param` (https://developer.wordpress.org/rest-api/using-the-rest-api/pagination/).
 * Unknown parameters are ignored, as WordPress does.
 */
export function parseListQuery(
  stream: FakeStream,
  search: URLSearchParams,
  timezoneOffsetMinutes: number,
): { query: ListQuery } | { invalid: Record<string, string> } {
  const params = phpQuery(search);
  const invalid: Record<string, string> = {};
  const integer = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const raw = params.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(value)) invalid[name] = `${name} is not of type integer.`;
    else if (value < min || value > max) {
      invalid[name] = max === Number.MAX_SAFE_INTEGER
        ? `${name} must be greater than or equal to ${min}`
        : `${name} must be between ${min} (inclusive) and ${max} (inclusive)`;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly string[], fallback: T): T => {
    const raw = params.get(name);
    if (raw === undefined) return fallback;
    if (!allowed.includes(raw)) invalid[name] = `${name} is not one of ${allowed.join(', ')}.`;
    return raw as T;
  };

  const page = integer('page', 1, 1);
  const perPage = integer('per_page', 10, 1, 100);
  const order = oneOf('order', ['asc', 'desc'], defaults[stream].order);
  const orderbyName = oneOf('orderby', Object.keys(orderbyByStream[stream]), defaults[stream].orderby);
  const include = parseInclude(params, invalid);
  const query: ListQuery = { page, perPage, order, orderby: orderbyByStream[stream][orderbyName] ?? 'id' };
  if (include) query.include = include;

  if (stream !== 'customers') {
    const gmt = parseBoolean(params.get('dates_are_gmt'));
    if (gmt === undefined) invalid.dates_are_gmt = 'dates_are_gmt is not of type boolean.';
    // Without dates_are_gmt the dates are store-local time.
    const offsetMs = gmt ? 0 : timezoneOffsetMinutes * 60_000;
    for (const [name, key] of [['modified_after', 'modifiedAfterMs'], ['modified_before', 'modifiedBeforeMs']] as const) {
      const raw = params.get(name);
      if (raw === undefined) continue;
      const ms = parseRestDate(raw, offsetMs);
      if (ms === undefined) invalid[name] = 'Invalid date.';
      else query[key] = ms;
    }
  }
  return Object.keys(invalid).length > 0 ? { invalid } : { query };
}

/**
 * Query parameters as PHP's $_GET holds them: a repeated key keeps its last value and `key[]`
 * entries become `key[0]`, `key[1]`, ... (the official client repeats its parameters after the
 * oauth_* ones, so this matters for signatures too).
 */
export function phpQuery(query: URLSearchParams): Map<string, string> {
  const params = new Map<string, string>();
  const appended = new Map<string, number>();
  for (const [key, value] of query) {
    if (key.endsWith('[]')) {
      const stem = key.slice(0, -2);
      const index = appended.get(stem) ?? 0;
      appended.set(stem, index + 1);
      params.set(`${stem}[${index}]`, value);
    } else {
      params.set(key, value);
    }
  }
  return params;
}

/** `include=1,2` or `include[0]=1&include[1]=2` (wp_parse_id_list accepts both). */
function parseInclude(params: Map<string, string>, invalid: Record<string, string>): number[] | undefined {
  const listed = params.get('include');
  const values =
    listed !== undefined
      ? listed.split(/[\s,]+/).filter((value) => value !== '')
      : [...params].filter(([key]) => /^include\[\d+\]$/.test(key)).map(([, value]) => value);
  if (listed === undefined && values.length === 0) return undefined;
  const ids = values.map(Number);
  const bad = ids.findIndex((id) => !Number.isInteger(id));
  if (bad >= 0) invalid.include = `include[${bad}] is not of type integer.`;
  return ids;
}

function parseBoolean(raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  return undefined;
}

/** RFC 3339 date-time; without a zone it is read as UTC + `offsetMs` (store-local time). */
function parseRestDate(raw: string, offsetMs: number): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|z|[+-]\d{2}:\d{2})?$/.exec(raw);
  if (!match) return undefined;
  const [, date, time, , zone] = match;
  const ms = Date.parse(`${date}T${time}${zone ? zone.toUpperCase() : 'Z'}`);
  if (Number.isNaN(ms)) return undefined;
  return zone ? ms : ms - offsetMs;
}
