import { ProviderError } from '../providerError.js';

/** The planned parameters that carry the modified filter and the ids; they never reach Odoo as such. */
export const WRITTEN_SINCE_PARAM = 'odoo_write_date_since';
export const IDS_PARAM = 'odoo_ids';

export type OdooDomain = Array<[string, string, unknown]>;

/**
 * Odoo keeps `write_date` as a naive UTC datetime to the second and compares domain values as
 * `YYYY-MM-DD HH:MM:SS` strings: the spec's `2026-01-02T03:04:05` loses its `T`.
 */
export const odooDateTime = (iso: string) => iso.replace('T', ' ').slice(0, 19);

/** Pure: the search_read arguments a planned page stands for. */
export function searchArguments(params: Readonly<Record<string, string>>): { domain: OdooDomain; order: string; offset: number; limit: number } {
  const { [WRITTEN_SINCE_PARAM]: since, [IDS_PARAM]: ids, offset, limit, ...others } = params;
  const unknown = Object.keys(others);
  // A task filter dropped silently would read more than asked.
  if (unknown.length > 0) throw new ProviderError({ code: 'unsupported_filter', retriable: false, message: `Odoo reads take no filter ${unknown.join(', ')}` });
  const domain: OdooDomain = [];
  if (since !== undefined) domain.push(['write_date', '>', odooDateTime(since)]);
  if (ids !== undefined) domain.push(['id', 'in', ids.split(',').map(Number)]);
  // Increments follow write_date, as the engine's windows expect; a full read follows ids, which edits during it do not reorder.
  const order = since !== undefined ? 'write_date asc, id asc' : 'id asc';
  return { domain, order, offset: Number(offset ?? 0), limit: Number(limit ?? 0) };
}
