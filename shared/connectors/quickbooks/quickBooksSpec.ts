import { connectorSpec, type ConnectorSpec, type ConnectorSpecInput } from '../spec/connectorSpec.js';
import { quickBooksEntities, type QuickBooksEntity } from './quickBooksEntities.js';
import { IDS_PARAM, LIMIT_PARAM, OFFSET_PARAM } from './quickBooksQuery.js';
import type { QuickBooksSettings } from './quickBooksSettings.js';

/** CDC answers at most this many objects and reaches back this far (developer.intuit.com, "Change data capture"). */
export const CDC_CEILING = 1000;
export const CDC_MAX_AGE_DAYS = 30;

/**
 * Writes POST the entity (`customer`): with `Id` and the `SyncToken` last read it is a sparse
 * update of the fields sent, and QuickBooks refuses a stale token (Fault 5010, the conflict path).
 * Every answer is `{<Entity>: {…}}`.
 */
const writes = ({ entity }: QuickBooksEntity) => ({
  create: { method: 'POST' as const, path: entity.toLowerCase() },
  update: { method: 'POST' as const, path: entity.toLowerCase(), idInBody: 'Id', body: { sparse: true } },
  readPath: `${entity.toLowerCase()}/{id}`,
  recordPath: entity,
  concurrency: { kind: 'bodyField' as const, field: 'SyncToken' },
  versionField: 'SyncToken',
  forbiddenFields: ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'status'],
});

/**
 * A full read pages the query by STARTPOSITION (quickBooksQuery); an incremental read asks CDC for
 * what changed since, deleted transactions among them (`status: "Deleted"`), in answers of at most
 * 1,000 that follow each other from the latest change. Customers and items are deleted by being
 * made inactive, which both reads see.
 */
const stream = (name: string, entity: QuickBooksEntity) => ({
  name,
  path: 'query',
  recordsPath: `QueryResponse.${entity.entity}`,
  emptyListOmitted: true,
  idField: 'Id',
  modifiedField: 'MetaData.LastUpdatedTime',
  idPattern: '^[1-9][0-9]{0,19}$',
  idsParam: IDS_PARAM,
  dependsOn: [...entity.dependsOn],
  ...(entity.list === 'name' ? { deletedFlagPath: 'Active', deletedFlagValue: false } : { deletedFlagPath: 'status', deletedFlagValue: 'Deleted' }),
  paginator: { kind: 'offset' as const, offsetParam: OFFSET_PARAM, limitParam: LIMIT_PARAM },
  // CDC keeps objects changed strictly after `changedSince`, to the second.
  incremental: { param: 'changedSince', format: 'iso8601-seconds' as const, exclusive: true },
  changeFeed: {
    path: 'cdc',
    query: { entities: entity.entity },
    recordsPath: `CDCResponse.0.QueryResponse.0.${entity.entity}`,
    ceiling: CDC_CEILING,
    maxAgeDays: CDC_MAX_AGE_DAYS,
  },
  writes: writes(entity),
});

/** QuickBooks Online's accounting API (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/account) as a connector spec for one company. */
export function quickBooksSpec(settings: QuickBooksSettings): ConnectorSpec {
  const spec: ConnectorSpecInput = {
    title: 'QuickBooks',
    baseUrl: `${settings.baseUrl.replace(/\/+$/, '')}/v3/company/${settings.realmId}/`,
    // Access tokens last an hour; the refresh token may change on every refresh (kept under the connection's single-writer lease).
    auth: { kind: 'oauth2', grant: 'refresh_token', tokenUrl: settings.tokenUrl, clientAuthentication: 'basic' },
    query: { minorversion: settings.minorVersion },
    maxPageSize: 1000,
    // Intuit allows 10 calls at once per company and app: more only earn 429s.
    maxConcurrentCalls: 10,
    rateLimitHeaders: false,
    errors: {
      // {"Fault": {"Error": [{Message, Detail, code, element}], type}, time}
      codePath: 'Fault.Error.0.code',
      messagePath: 'Fault.Error.0.Detail',
      faultPath: 'Fault',
      rules: [
        { status: [400], code: '^5010$', on: 'write', kind: 'conflict' },
        { status: [400], code: '^610$', on: 'write', kind: 'notFound' },
        // CDC asked from further back than it reaches: the stream is read in full instead.
        { status: [400], message: 'changedSince.*older than', kind: 'stateExpired' },
        // A statement this connector wrote was refused: retrying cannot help.
        { status: [400], code: '^(4000|4001)$', on: 'read', kind: 'fatal' },
      ],
    },
    connectionTest: { stream: 'customers', hint: 'are baseUrl and realmId those of the company?' },
    streams: Object.entries(quickBooksEntities).map(([name, entity]) => stream(name, entity)),
  };
  return connectorSpec.parse(spec);
}
