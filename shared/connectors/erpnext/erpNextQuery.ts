import { ProviderError } from '../providerError.js';
import type { ListCall, SpecHooks } from '../spec/specHooks.js';
import { doctypesOf, type ErpNextDoctype } from './erpNextDoctypes.js';
import type { ErpNextSettings } from './erpNextSettings.js';

/** The planned parameter carrying the modified-since instant (ISO, already a millisecond early); it never reaches Frappe as such. */
export const MODIFIED_AFTER_PARAM = 'erpnext_modified_after';
/** The planned parameter carrying the names asked for (a webhook's records), comma-separated. */
export const NAMES_PARAM = 'erpnext_names';
/** Parameters the spec plans that go to Frappe as they are. */
const passedOn = new Set(['limit_start', 'limit_page_length']);

/** A list asks for the fields the settings name plus what the engine needs, or every field. */
export const fieldsOf = (entry: Pick<ErpNextDoctype, 'fields'>) => JSON.stringify(entry.fields ? [...new Set(['name', 'modified', 'creation', ...entry.fields])] : ['*']);

/** `2024-01-01T10:00:00.123Z` → `2024-01-01 10:00:00.123000`: Frappe's own form, microseconds included. */
export function frappeDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new ProviderError({ code: 'invalid_filter', retriable: false, message: `ERPNext: "${iso}" is not a date-time` });
  return `${new Date(ms).toISOString().slice(0, 23).replace('T', ' ')}000`;
}

/**
 * A list call as Frappe takes it: `filters` and `order_by` as JSON and text. An incremental read
 * keeps `modified` strictly after the instant (sent a millisecond early, so nothing at it is lost)
 * ordered `modified asc, name asc` as the engine's cursor expects. A full read is ordered
 * `creation asc, name asc` instead: with offset paging, a document edited during the read would
 * move to the end of a modified-ordered list and push the one after it past a page boundary, and
 * a full read takes a record it did not see for deleted. Names asked for are an `in` filter; a
 * task's filters are equality filters.
 */
function listCall(call: ListCall, fields: string): ListCall {
  const { [MODIFIED_AFTER_PARAM]: since, [NAMES_PARAM]: names, ...rest } = call.params;
  const params: Record<string, string> = { fields };
  const filters: unknown[] = [];
  for (const [name, value] of Object.entries(rest)) {
    if (passedOn.has(name)) params[name] = value;
    else filters.push([name, '=', value]);
  }
  if (since !== undefined) filters.push(['modified', '>', frappeDateTime(since)]);
  if (names !== undefined) filters.push(['name', 'in', splitNames(names)]);
  if (filters.length > 0) params.filters = JSON.stringify(filters);
  params.order_by = since !== undefined ? 'modified asc, name asc' : 'creation asc, name asc';
  return { ...call, params };
}

/**
 * The names the engine joined with `,`. Frappe strips names, so none starts with a space: a piece
 * that does continues the name before it (`Acme, Inc.`). A name with a comma not followed by a
 * space is still cut, and is then read by the next incremental run instead.
 */
export function splitNames(joined: string): string[] {
  const names: string[] = [];
  for (const piece of joined.split(',')) {
    if (piece.startsWith(' ') && names.length > 0) names[names.length - 1] += `,${piece}`;
    else names.push(piece);
  }
  return names;
}

/** The connection's hooks: each stream's list asks for its DocType's fields. */
export function erpNextHooks(settings: Pick<ErpNextSettings, 'doctypes'>): SpecHooks {
  const fields = new Map(doctypesOf(settings).map((entry) => [entry.stream, fieldsOf(entry)]));
  return {
    shapeList: (stream, call) => {
      const asked = fields.get(stream.name);
      if (asked === undefined) throw new ProviderError({ code: 'unknown_stream', retriable: false, message: `ERPNext has no stream "${stream.name}"` });
      return listCall(call, asked);
    },
  };
}
