import { connectorSpec, type ConnectorSpec, type ConnectorSpecInput } from '../spec/connectorSpec.js';
import type { GoogleContactsSettings } from './googleContactsSettings.js';

/** The person fields read and written back; `metadata` carries the update time and the deleted flag. */
export const GOOGLE_PERSON_FIELDS = ['names', 'emailAddresses', 'phoneNumbers', 'organizations'] as const;
const personFields = [...GOOGLE_PERSON_FIELDS, 'metadata'].join(',');

/**
 * Google's People API (https://developers.google.com/people/api/rest/v1/people.connections/list)
 * as a connector spec for these settings: one user's contacts, listed by page token. A full read
 * asks for a sync token; an incremental read sends it on every page and gets the changed contacts,
 * the deleted ones flagged `metadata.deleted`. An expired token (7 days) reads the stream in full.
 */
export function googleContactsSpec(settings: GoogleContactsSettings): ConnectorSpec {
  const spec: ConnectorSpecInput = {
    title: 'Google People',
    baseUrl: `${settings.baseUrl.replace(/\/+$/, '')}/v1/`,
    // Google's token endpoint takes the client in the form body (client_secret_post) or by Basic; the body is what its own libraries send.
    auth: { kind: 'oauth2', grant: 'refresh_token', tokenUrl: settings.tokenUrl, clientAuthentication: 'body' },
    maxPageSize: 1000,
    // The People API sends no rate-limit headers.
    rateLimitHeaders: false,
    errors: {
      // {"error": {code, message, status: "FAILED_PRECONDITION", details: [{"@type": "…ErrorInfo", reason}]}}
      codePath: 'error.status',
      messagePath: 'error.message',
      rules: [
        // EXPIRED_SYNC_TOKEN: its status is quoted as FAILED_PRECONDITION and INVALID_ARGUMENT, its message one way.
        { status: [400], message: '^Sync token is expired', on: 'read', kind: 'stateExpired' },
        // A stale etag ("Request person.etag is different than the current person.etag…"): the record changed since it was read.
        { status: [400], code: '^FAILED_PRECONDITION$', message: 'is different than the current', on: 'write', kind: 'conflict' },
        // Another mutation for the user was under way: nothing was written, so it is sent again later, not a conflict.
        { status: [409], code: '^ABORTED$', kind: 'recoverable' },
      ],
    },
    connectionTest: { stream: 'contacts', hint: 'is baseUrl https://people.googleapis.com?' },
    streams: [
      {
        name: 'contacts',
        path: 'people/me/connections',
        query: { personFields },
        recordsPath: 'connections',
        // proto3 JSON leaves an empty list out: a sync with no changes answers only `{nextSyncToken}`.
        emptyListOmitted: true,
        idField: 'resourceName',
        idPattern: '^people/c[0-9]{1,30}$',
        modifiedField: 'metadata.sources.0.updateTime',
        paginator: { kind: 'cursor', cursorParam: 'pageToken', sizeParam: 'pageSize', nextCursorPath: 'nextPageToken' },
        syncToken: { param: 'syncToken', requestParams: { requestSyncToken: 'true' }, nextTokenPath: 'nextSyncToken' },
        deletedFlagPath: 'metadata.deleted',
        // The body is the Person with its etag; the mask (`updatePersonFields`) names the fields sent (googleContactsHooks).
        writes: {
          update: { method: 'PATCH', path: '{+id}:updateContact' },
          readPath: '{+id}',
          readQuery: { personFields },
          concurrency: { kind: 'bodyField', field: 'etag' },
          versionField: 'etag',
          forbiddenFields: ['resourceName', 'etag', 'metadata'],
        },
      },
    ],
  };
  return connectorSpec.parse(spec);
}
