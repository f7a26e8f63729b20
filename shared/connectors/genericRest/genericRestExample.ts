import type { ConnectorSpec } from '../spec/connectorSpec.js';

const stream = (name: string, paginator: ConnectorSpec['streams'][number]['paginator'], dependsOn: string[] = []) => ({
  name,
  path: name,
  recordsPath: 'data',
  idField: 'id',
  modifiedField: 'updated_at',
  dependsOn,
  paginator,
  incremental: { param: 'updated_since', format: 'iso8601' as const, exclusive: false },
  writes: {
    create: { method: 'POST' as const, path: name },
    update: { method: 'PATCH' as const, path: `${name}/{id}` },
    concurrency: { kind: 'header' as const, header: 'If-Match' as const },
    versionField: 'etag',
    forbiddenFields: ['id', 'etag', 'updated_at'],
    answer: 'record' as const,
    createdIdPath: 'id',
  },
});

/**
 * The API description's example of `generic-rest` settings, every default written out so it reads
 * as both what a save takes and what a read answers: a CRM with a cursor-paged and a Link-paged
 * stream, modified-since filters, If-Match writes and signed webhooks (the README's example).
 */
export const genericRestSettingsExample: { spec: ConnectorSpec; variables: Record<string, string>; timeoutMs: number } = {
  spec: {
    title: 'Acme CRM',
    baseUrl: 'https://{region}.api.acme-crm.example/v1',
    auth: { kind: 'bearer' },
    headers: { 'X-Acme-Version': '2024-06-01' },
    maxPageSize: 100,
    rateLimitHeaders: true,
    errors: {
      codePath: 'error.code',
      messagePath: 'error.message',
      fieldErrorsPath: 'error.fields',
      rules: [{ status: [400], code: '^cursor_expired$', on: 'read', kind: 'stateExpired' }],
    },
    streams: [
      stream('contacts', { kind: 'cursor', cursorParam: 'cursor', sizeParam: 'limit', nextCursorPath: 'next_cursor', resultCeilingReads: 'all' }, ['companies']),
      stream('companies', { kind: 'linkHeader', sizeParam: 'limit', rel: 'next' }),
    ],
    webhooks: {
      verifier: { kind: 'hmac', header: 'X-Acme-Signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', signedPayload: 'body' },
      topicPath: 'event',
      streams: { 'contact.updated': 'contacts', 'company.updated': 'companies' },
      idPath: 'data.id',
    },
  },
  variables: { region: 'eu' },
  timeoutMs: 30_000,
};
