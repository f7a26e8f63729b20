import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeRestError, readJsonBody } from '../restApi/fakeRestApiHttp.js';

/**
 * The codes Notion answers with (the client's `APIErrorCode`, plus `missing_version`, which the
 * API sends but the client does not know: it surfaces as an `UnknownHTTPResponseError`).
 */
export type NotionErrorCode =
  | 'invalid_json'
  | 'invalid_request_url'
  | 'invalid_request'
  | 'missing_version'
  | 'validation_error'
  | 'unauthorized'
  | 'restricted_resource'
  | 'object_not_found'
  | 'conflict_error'
  | 'rate_limited'
  | 'internal_server_error'
  | 'service_unavailable'
  | 'service_overload';

/** A refusal in Notion's shape: `{object: "error", status, code, message, request_id}`. */
export class NotionError extends Error {
  constructor(
    readonly status: number,
    readonly code: NotionErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { object: 'error', status: this.status, code: this.code, message: this.message, request_id: randomUUID() };
  }
}

export const validationError = (message: string) => new NotionError(400, 'validation_error', message);

/** Notion's text for a bad or missing token: the same whatever was sent, and never the token. */
export const unauthorized = () => new NotionError(401, 'unauthorized', 'API token is invalid.');

/** Notion's wording for an object the integration cannot see (it does not say which of the two). */
export const objectNotFound = (kind: 'page' | 'data_source', id: string) =>
  new NotionError(404, 'object_not_found', `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);

/** Notion's message for a transaction that lost a race (the client does not retry it). */
export const conflict = () => new NotionError(409, 'conflict_error', 'Conflict occurred while saving. Please try again.');

export const invalidRequestUrl = () => new NotionError(400, 'invalid_request_url', 'Invalid request URL.');

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, error: NotionError): void {
  sendJson(res, error.status, error.body(), error.headers);
}

/** The JSON body (an empty one is `{}`: the client sends none when every parameter is unset). */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  if (req.headers['content-length'] === '0' || (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined)) {
    req.resume();
    return {};
  }
  try {
    return await readJsonBody(req);
  } catch (error) {
    if (error instanceof FakeRestError) {
      // The code and text of Notion's answer to an oversized body are unverified.
      if (error.status === 413) throw new NotionError(413, 'validation_error', 'Request body too large.', error.headers);
      throw new NotionError(400, 'invalid_json', 'Error parsing JSON body.');
    }
    throw error;
  }
}
