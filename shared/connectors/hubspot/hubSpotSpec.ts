import { connectorSpec, type ConnectorSpec, type ConnectorSpecInput } from '../spec/connectorSpec.js';
import { IDS_PARAM, MODIFIED_SINCE_PARAM } from './hubSpotHooks.js';
import { hubSpotObjectTypes, hubSpotProperties, type HubSpotObjectType } from './hubSpotObjects.js';
import type { HubSpotSettings } from './hubSpotSettings.js';

/** One search pages through at most this many results; past it HubSpot answers 400. */
export const HUBSPOT_SEARCH_CEILING = 10_000;

/**
 * Records are kept as HubSpot returns them, `{id, properties: {…}, createdAt, updatedAt, archived}`,
 * so a write's provider-shaped fields are `{properties: {…}}`: the body HubSpot's create and
 * update take. HubSpot has no concurrency token, so an update is check-then-write on `updatedAt`:
 * an edit between that read and the PATCH is overwritten unnoticed. Nothing better exists on this API.
 */
const writes = (type: HubSpotObjectType) => ({
  create: { method: 'POST' as const, path: `crm/v3/objects/${type}` },
  update: { method: 'PATCH' as const, path: `crm/v3/objects/${type}/{id}` },
  concurrency: { kind: 'none' as const },
  forbiddenFields: ['id', 'createdAt', 'updatedAt', 'archived', 'archivedAt'],
});

/**
 * A full read pages the list by its `after` cursor, with no ceiling. An incremental read is the
 * search (hubSpotHooks), capped per query: it is read in windows, each a new search from the
 * last `updatedAt` read.
 */
const stream = (type: HubSpotObjectType, resultCeiling: number) => ({
  name: type,
  path: `crm/v3/objects/${type}`,
  query: { properties: hubSpotProperties[type].join(',') },
  recordsPath: 'results',
  idField: 'id',
  modifiedField: 'updatedAt',
  idPattern: '^[1-9][0-9]{0,19}$',
  idsParam: IDS_PARAM,
  paginator: { kind: 'cursor', cursorParam: 'after', sizeParam: 'limit', nextCursorPath: 'paging.next.after', resultCeiling, resultCeilingReads: 'incremental' } as const,
  incremental: { param: MODIFIED_SINCE_PARAM, format: 'unix-ms' } as const,
  // Archived (deleted) records are listed apart, with no time filter: an incremental read pages
  // through them and keeps those archived since it started.
  deletes: {
    path: `crm/v3/objects/${type}`,
    query: { archived: 'true', limit: '100' },
    next: { cursorParam: 'after', nextCursorPath: 'paging.next.after' },
    idsPath: 'results',
    idField: 'id',
    deletedAtField: 'archivedAt',
  },
  writes: writes(type),
});

/**
 * HubSpot's CRM v3 objects API (https://developers.hubspot.com/docs/api/crm/understanding-the-crm)
 * as a connector spec for these settings. `resultCeiling` is HubSpot's search ceiling; tests
 * lower it to meet it with few records.
 */
export function hubSpotSpec(settings: HubSpotSettings, resultCeiling: number = HUBSPOT_SEARCH_CEILING): ConnectorSpec {
  const root = settings.baseUrl.replace(/\/+$/, '');
  const spec: ConnectorSpecInput = {
    title: 'HubSpot',
    baseUrl: `${root}/`,
    // Access tokens of public apps last 30 minutes; the refresh takes the client in the form body.
    auth:
      settings.auth === 'oauth'
        ? { kind: 'oauth2', grant: 'refresh_token', tokenUrl: `${root}/oauth/v1/token`, clientAuthentication: 'body' }
        : { kind: 'bearer' },
    // GET lists serve at most 100 per page (the search 200).
    maxPageSize: 100,
    // X-HubSpot-RateLimit-Remaining / -Interval-Milliseconds (parseRateLimitHeaders).
    rateLimitHeaders: true,
    errors: {
      // {status: "error", message, correlationId, category: "VALIDATION_ERROR", errors: […]}
      codePath: 'category',
      messagePath: 'message',
      rules: [
        // A 429 names its policy in `policyName` and no category: the daily cap is told apart by its
        // message. Retrying before the day turns cannot help; other 429s (ten-secondly, the
        // search's secondly limit) are rate limits, the default.
        { status: [429], message: 'daily limit', kind: 'quota' },
      ],
    },
    connectionTest: { stream: 'contacts', hint: 'is baseUrl https://api.hubapi.com?' },
    // Deals link companies through associations, which are not read: no stream depends on another.
    streams: hubSpotObjectTypes.map((type) => stream(type, resultCeiling)),
  };
  return connectorSpec.parse(spec);
}
