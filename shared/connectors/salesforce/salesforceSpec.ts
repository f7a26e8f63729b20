import { connectorSpec, type ConnectorSpec, type ConnectorSpecInput } from '../spec/connectorSpec.js';
import { salesforceObjects, type SalesforceObject } from './salesforceObjects.js';
import { batchSizeParam, sinceParam } from './salesforceSoql.js';
import { defaultLoginUrl } from './salesforceSettings.js';

/** 15-character case-sensitive ids or their 18-character case-safe form: nothing else reaches a URL. */
const idPattern = '^([a-zA-Z0-9]{15}|[a-zA-Z0-9]{18})$';

/**
 * Rows are written field by field (PATCH → 204, POST → 201 `{id, success, errors}`) and read back,
 * as neither answers the record. `If-Unmodified-Since` makes Salesforce refuse an update with 412
 * when the row changed after the time last read; it compares `LastModifiedDate`, which never runs
 * ahead of the `SystemModstamp` sent, so an unchanged row always passes.
 */
const writes = (type: string) => ({
  create: { method: 'POST' as const, path: `sobjects/${type}/` },
  update: { method: 'PATCH' as const, path: `sobjects/${type}/{id}` },
  readPath: `sobjects/${type}/{id}`,
  answer: 'id' as const,
  createdIdPath: 'id',
  concurrency: { kind: 'header' as const, header: 'If-Unmodified-Since' as const },
  forbiddenFields: ['Id', 'SystemModstamp', 'LastModifiedDate', 'CreatedDate', 'attributes'],
});

/**
 * Every stream is one SOQL query (salesforceSoql) ordered by `SystemModstamp, Id`, paged by the
 * query's `nextRecordsUrl`. SOQL's `>` is exclusive and its literals are to the second. Records
 * keep Salesforce's `attributes` ({type, url}), as both the query and a row read answer them.
 * Deletes come from the `deleted` feed (kept 15 days), asked once per incremental read.
 */
const stream = (name: string, object: SalesforceObject) => ({
  name,
  path: 'query',
  recordsPath: 'records',
  idField: 'Id',
  modifiedField: 'SystemModstamp',
  idPattern,
  dependsOn: [...object.dependsOn],
  paginator: { kind: 'nextUrl' as const, sizeParam: batchSizeParam, nextUrlPath: 'nextRecordsUrl' },
  incremental: { param: sinceParam, format: 'iso8601-seconds' as const, exclusive: true },
  deletes: { path: `sobjects/${object.type}/deleted/`, startParam: 'start', endParam: 'end', format: 'iso8601-seconds' as const, idsPath: 'deletedRecords', idField: 'id' },
  writes: writes(object.type),
});

/** Salesforce's REST API (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/) as a connector spec, refreshing tokens at `loginUrl`. */
export function salesforceSpec(loginUrl: string = defaultLoginUrl): ConnectorSpec {
  const spec: ConnectorSpecInput = {
    title: 'Salesforce',
    baseUrl: '{instanceUrl}/services/data/v{apiVersion}/',
    // The token answer has no `expires_in`: a token is used until Salesforce answers 401 INVALID_SESSION_ID, then refreshed once.
    auth: { kind: 'oauth2', grant: 'refresh_token', tokenUrl: `${loginUrl.replace(/\/+$/, '')}/services/oauth2/token`, clientAuthentication: 'body' },
    maxPageSize: 2000,
    // `Sforce-Limit-Info: api-usage=used/max`, the org's 24-hour allowance.
    rateLimitHeaders: true,
    errors: {
      // A JSON array of `{message, errorCode, fields}`.
      codePath: '0.errorCode',
      messagePath: '0.message',
      rules: [
        // The org's daily request allowance is spent: waiting, not new credentials, helps.
        { status: [403], code: '^REQUEST_LIMIT_EXCEEDED$', kind: 'quota' },
        // A query this connector wrote was refused: retrying cannot help.
        { status: [400], code: '^(MALFORMED_QUERY|INVALID_FIELD|INVALID_TYPE)$', on: 'read', kind: 'fatal' },
      ],
    },
    connectionTest: { stream: 'accounts', hint: 'is instanceUrl the org\'s instance and apiVersion one it serves?' },
    streams: Object.entries(salesforceObjects).map(([name, object]) => stream(name, object)),
  };
  return connectorSpec.parse(spec);
}
