import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeRestError, readJsonBody } from '../restApi/fakeRestApiHttp.js';

const errorInfoType = 'type.googleapis.com/google.rpc.ErrorInfo';
const badRequestType = 'type.googleapis.com/google.rpc.BadRequest';
const domain = 'people.googleapis.com';

/**
 * A refusal in Google's JSON error shape (AIP-193): `{"error": {code, message, errors, status,
 * details}}`. `errors` is the legacy array Google still sends; gaxios builds its error message from
 * it, and the Go client shows its `reason` (e.g. `failedPrecondition`).
 */
export class GoogleApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
    readonly legacyReason: string,
    readonly details: Record<string, unknown>[] = [],
    readonly legacyExtra: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      error: {
        code: this.code,
        message: this.message,
        errors: [{ message: this.message, domain: 'global', reason: this.legacyReason, ...this.legacyExtra }],
        status: this.status,
        ...(this.details.length > 0 ? { details: this.details } : {}),
      },
    };
  }
}

/**
 * Google's 401 for a missing or bad bearer token; the ErrorInfo reason says which, never the token.
 * Text as Google sends it for its APIs generally.
 */
export function unauthenticated(hadToken: boolean): GoogleApiError {
  return new GoogleApiError(
    401,
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    'authError',
    [{ '@type': errorInfoType, reason: hadToken ? 'ACCESS_TOKEN_TYPE_UNSUPPORTED' : 'CREDENTIALS_MISSING', domain: 'googleapis.com', metadata: { service: domain } }],
    { location: 'Authorization', locationType: 'header' },
  );
}

/** 400 INVALID_ARGUMENT naming the field at fault (texts of the fake's own; Google's wording varies). */
export function invalidArgument(field: string, message: string): GoogleApiError {
  return new GoogleApiError(400, 'INVALID_ARGUMENT', message, 'badRequest', [{ '@type': badRequestType, fieldViolations: [{ field, description: message }] }]);
}

/**
 * Google's answer to a sync token older than 7 days: 400, this message (seen in many client
 * projects' logs) and ErrorInfo reason EXPIRED_SYNC_TOKEN (documented on people.connections.list).
 * The status is reported both as FAILED_PRECONDITION and INVALID_ARGUMENT; FAILED_PRECONDITION is
 * the more often quoted (unverified against Google itself).
 */
export function expiredSyncToken(): GoogleApiError {
  return new GoogleApiError(
    400,
    'FAILED_PRECONDITION',
    'Sync token is expired. Clear local cache and retry call without the sync token.',
    'failedPrecondition',
    [{ '@type': errorInfoType, reason: 'EXPIRED_SYNC_TOKEN', domain }],
  );
}

/**
 * A stale etag on updateContact: 400, legacy reason `failedPrecondition`, this message
 * (googleapis/google-api-go-client#1904, google-api-python-client#2417).
 */
export function staleEtag(which: 'person.etag' | 'person.metadata.sources.etag'): GoogleApiError {
  return new GoogleApiError(400, 'FAILED_PRECONDITION', `Request ${which} is different than the current ${which}. Clear local cache and get the latest person.`, 'failedPrecondition');
}

export function notFound(): GoogleApiError {
  return new GoogleApiError(404, 'NOT_FOUND', 'Requested entity was not found.', 'notFound');
}

/**
 * Google asks that one user's mutations be sent sequentially and documents no error for overlap;
 * 409 ABORTED is this fake's guess (unverified).
 */
export function concurrentMutation(): GoogleApiError {
  return new GoogleApiError(409, 'ABORTED', 'The operation was aborted because another mutation for this user is in progress.', 'aborted');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, error: GoogleApiError): void {
  sendJson(res, error.code, error.body());
}

/** The request body as JSON, its refusals in Google's shape. */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  try {
    return await readJsonBody(req);
  } catch (error) {
    if (error instanceof FakeRestError) {
      if (error.status === 413) throw new GoogleApiError(413, 'INVALID_ARGUMENT', 'Request payload size exceeds the limit.', 'badRequest');
      throw invalidArgument('', 'Invalid JSON payload received.');
    }
    throw error;
  }
}
