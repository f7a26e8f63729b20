import { ProviderError } from '../providerError.js';
import type { ListCall, RecordCall, SpecHooks } from '../spec/specHooks.js';
import type { StreamSpec } from '../spec/streamSpec.js';
import { SINCE_PARAM } from './supabaseSpec.js';
import type { SupabaseSettings, SupabaseTable } from './supabaseSettings.js';

/** A value inside PostgREST's `in.(…)` list: quoted, so commas and parentheses in it stay data. */
const listValue = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/**
 * Pure: a list call as PostgREST takes it. The range paginator's `Range: items=0-999` becomes
 * `Range: 0-999` with `Range-Unit: items` (PostgREST ignores any other form) and `Prefer:
 * count=exact` (the total comes back in `Content-Range`); the planned modified filter becomes
 * `<updated>=gt.<time>`; an ids-restricted read becomes `<id>=in.(…)`. Every read is ordered by
 * id, increments too: pages are fetched by offset, and ordered by `updated_at` a row saved during
 * the read would move to the end and push another past a page boundary, unseen for good.
 */
export function listCallOf(table: SupabaseTable, call: ListCall): ListCall {
  const { [SINCE_PARAM]: since, ...params } = call.params;
  const id = params[table.idColumn];
  if (id !== undefined) params[table.idColumn] = `in.(${id.split(',').map(listValue).join(',')})`;
  if (since !== undefined) params[table.updatedColumn] = `gt.${since}`;
  params.order = `${table.idColumn}.asc`;
  const { range, ...headers } = call.headers;
  const bounds = range === undefined ? undefined : /^items=(\d+-\d+)$/.exec(range)?.[1];
  if (range !== undefined && bounds === undefined) throw new ProviderError({ code: 'invalid_page', retriable: false, message: `Supabase ${table.table}: cannot page with Range "${range}"` });
  return { ...call, params, headers: { ...headers, ...(bounds ? { range: bounds, 'range-unit': 'items' } : {}), prefer: 'count=exact' } };
}

/**
 * Pure: a call on one row. A read is `GET <table>?<id>=eq.<id>`; a create `POST` answered with
 * the row (an upsert on `conflictColumns` where the table names them: a repeated create merges
 * into the row the first one wrote); an update `PATCH <table>?<id>=eq.<id>&<updated>=eq.<as last
 * read>`, so a row changed since then matches nothing and the answer is `[]`, a conflict.
 */
export function recordCallOf(table: SupabaseTable, purpose: 'read' | 'create' | 'update', call: RecordCall, id?: string): RecordCall {
  const representation = { prefer: 'return=representation' };
  if (purpose === 'read') return { ...call, params: { ...call.params, select: '*', [table.idColumn]: `eq.${id}` } };
  if (purpose === 'create') {
    const upsert = table.conflictColumns ? { on_conflict: table.conflictColumns.join(',') } : undefined;
    return { ...call, params: { ...call.params, ...upsert }, headers: { ...call.headers, prefer: upsert ? 'resolution=merge-duplicates,return=representation' : representation.prefer } };
  }
  const { [table.idColumn]: _id, [table.updatedColumn]: seen, ...fields } = call.body ?? {};
  const precondition = typeof seen === 'string' || typeof seen === 'number' ? { [table.updatedColumn]: `eq.${seen}` } : {};
  return { ...call, params: { ...call.params, [table.idColumn]: `eq.${id}`, ...precondition }, headers: { ...call.headers, ...representation }, body: fields };
}

/**
 * The hooks of one connection: they shape calls as above and send the key as a bearer token as
 * well as `apikey` (Supabase's gateway reads `apikey`; PostgREST takes the role from the bearer).
 */
export function supabaseHooks(settings: SupabaseSettings, apiKey: string): SpecHooks {
  const tableOf = (stream: StreamSpec): SupabaseTable => {
    const table = settings.tables.find((candidate) => candidate.stream === stream.name);
    if (!table) throw new ProviderError({ code: 'unknown_stream', retriable: false, message: `Supabase has no stream "${stream.name}"` });
    return table;
  };
  const bearer = `Bearer ${apiKey}`;
  return {
    shapeList: (stream, call) => {
      const shaped = listCallOf(tableOf(stream), call);
      return { ...shaped, headers: { ...shaped.headers, authorization: bearer } };
    },
    shapeRecordCall: (stream, purpose, call, id) => {
      const shaped = recordCallOf(tableOf(stream), purpose, call, id);
      return { ...shaped, headers: { ...shaped.headers, authorization: bearer } };
    },
  };
}
