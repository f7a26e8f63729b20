import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeRestError, readJsonBody } from '../restApi/fakeRestApiHttp.js';

/**
 * A refusal in HubSpot's error shape: `{status: "error", message, correlationId, category, …}`,
 * with `extra` for the fields some refusals add (`errors`, `context`, or a 429's `errorType` and
 * `policyName`, which replace `category`).
 */
export class HubSpotError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly category: string | undefined,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      status: 'error',
      message: this.message,
      correlationId: randomUUID(),
      ...(this.category === undefined ? {} : { category: this.category }),
      ...this.extra,
    };
  }
}

/**
 * The 401 HubSpot sends for a missing, unknown or dead token: the same text whatever was sent, and
 * never the token.
 */
export const unauthenticated = () =>
  new HubSpotError(
    401,
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    'INVALID_AUTHENTICATION',
  );

/**
 * 404 for a numeric id with no record. The text is unverified (no primary source found); the
 * category is HubSpot's. A non-numeric id gets the message HubSpot is seen sending for it
 * (hubspot-api-nodejs issue #669).
 */
export function objectNotFound(id: string): HubSpotError {
  if (/^\d+$/.test(id)) return new HubSpotError(404, 'resource not found', 'OBJECT_NOT_FOUND');
  return new HubSpotError(404, 'Object not found.  objectId are usually numeric.', 'OBJECT_NOT_FOUND', { context: { id: [id] } });
}

export const validationError = (message: string, extra: Record<string, unknown> = {}) => new HubSpotError(400, message, 'VALIDATION_ERROR', extra);

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (status === 204) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  // The client parses error bodies by Content-Type and throws a bare Error without one.
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, error: HubSpotError, headers: Record<string, string>): void {
  sendJson(res, error.status, error.body(), headers);
}

/** The request body as JSON, its refusals (bad JSON, too large) in HubSpot's shape. */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  try {
    return await readJsonBody(req);
  } catch (error) {
    if (error instanceof FakeRestError) {
      throw new HubSpotError(error.status, error.status === 413 ? 'Request body too large' : `Invalid input JSON: ${error.message}`, 'VALIDATION_ERROR');
    }
    throw error;
  }
}
