import { connectorSpec, type ConnectorSpec, type ConnectorSpecInput } from '../spec/connectorSpec.js';
import type { SupabaseSettings, SupabaseTable } from './supabaseSettings.js';

/**
 * PostgREST's answers (docs/references/errors.rst): `{code, details, hint, message}` with
 * PostgreSQL's SQLSTATE or a `PGRST…` code. The statuses already say most (409 unique/foreign
 * key, 404 missing table, 401/403 privileges); these rules pin what a status alone would misread.
 */
const errorRules: NonNullable<ConnectorSpecInput['errors']>['rules'] = [
  // A JWT/key problem and a privilege refusal: the connection's key must change.
  { status: [401], code: '^PGRST30[0-9]$', kind: 'auth' },
  { status: [401, 403], code: '^42501$', kind: 'auth' },
  // A table that is not there (42P01, or PostgREST's schema-cache miss PGRST205) is the settings' fault, on reads and writes.
  { status: [404], code: '^(42P01|PGRST205)$', kind: 'fatal' },
  // Unique or foreign-key violation: the row clashes with another, not a stale precondition.
  { status: [409], code: '^(23505|23503)$', on: 'write', kind: 'validation' },
  // Singular answer with no (or many) rows.
  { status: [406], code: '^PGRST116$', on: 'write', kind: 'notFound' },
  // A column the table lacks, a bad value: the record is refused.
  { status: [400], code: '^(PGRST204|PGRST102|22|23|42703)', on: 'write', kind: 'validation' },
];

/** Where the planned incremental value goes; supabaseHooks turns it into `<updatedColumn>=gt.<value>`. */
export const SINCE_PARAM = 'supabase_updated_since';

function streamOf(table: SupabaseTable): ConnectorSpecInput['streams'][number] {
  const ownColumns = [table.idColumn, table.updatedColumn, ...(table.deletedColumn ? [table.deletedColumn] : []), ...table.readOnlyColumns];
  return {
    name: table.stream,
    path: table.table,
    query: { select: '*' },
    idField: table.idColumn,
    modifiedField: table.updatedColumn,
    ...(table.deletedColumn ? { deletedFlagPath: table.deletedColumn, deletedWhenSet: true } : {}),
    // `id=in.(…)` once supabaseHooks has rewritten the comma list.
    idsParam: table.idColumn,
    idPattern: '^[A-Za-z0-9_.:-]{1,200}$',
    paginator: { kind: 'range', unit: 'items' },
    // One millisecond earlier and `gt`: rows stamped within the millisecond read last are read again, never missed.
    incremental: { param: SINCE_PARAM, format: 'iso8601', exclusive: true },
    writes: {
      create: { method: 'POST', path: table.table },
      update: { method: 'PATCH', path: table.table, idInBody: table.idColumn },
      readPath: table.table,
      listAnswer: true,
      // The updated column as last read goes in the body; supabaseHooks moves it to the filter `<updatedColumn>=eq.<old>`.
      concurrency: { kind: 'bodyField', field: table.updatedColumn },
      versionField: table.updatedColumn,
      forbiddenFields: ownColumns,
    },
  };
}

/** A Supabase project's REST API (PostgREST) over the connection's tables, as a connector spec. */
export function supabaseSpec(settings: SupabaseSettings): ConnectorSpec {
  const spec: ConnectorSpecInput = {
    title: 'Supabase',
    baseUrl: `${settings.url.replace(/\/+$/, '')}/rest/v1/`,
    // `apikey` here; supabaseHooks adds the same key as `Authorization: Bearer`, as supabase-js sends both.
    auth: { kind: 'apiKey', in: 'header', name: 'apikey' },
    maxPageSize: settings.maxPageSize,
    errors: { codePath: 'code', messagePath: 'message', rules: errorRules },
    streams: settings.tables.map(streamOf),
  };
  return connectorSpec.parse(spec);
}
