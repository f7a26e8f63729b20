import { FakeRestError } from './fakeRestApiHttp.js';

export interface FakeRestListQuery {
  limit: number;
  afterId?: string;
  updatedSinceMs?: number;
  /** As the client sent it, to carry into the next page's link. */
  updatedSince?: string;
}

export const defaultMaxLimit = 100;
/** Served when no `limit` is given, as many APIs do with less than their maximum. */
const defaultLimit = 25;

// ISO 8601 as APIs take it: a date, or a date-time with an offset (a local time would be ambiguous).
const isoInstant = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** The cursor is opaque to clients: base64url of the last id served. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const bytes = Buffer.from(cursor, 'base64url');
  const id = bytes.toString('utf8');
  // Anything that is not a canonical encoding of printable text was not made by encodeCursor.
  const canonical = /^[A-Za-z0-9_-]+$/.test(cursor) && bytes.toString('base64url') === cursor && Buffer.from(id, 'utf8').equals(bytes);
  if (!canonical || /[\u0000-\u001f\u007f\ufffd]/.test(id)) throw new FakeRestError(400, 'invalid_cursor', 'the cursor is not one this API issued');
  return id;
}

export function parseListQuery(query: URLSearchParams, maxLimit: number): FakeRestListQuery {
  const parsed: FakeRestListQuery = { limit: Math.min(defaultLimit, maxLimit) };
  const limit = query.get('limit');
  if (limit !== null) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1) throw new FakeRestError(400, 'invalid_parameter', 'limit must be a positive integer', { parameter: 'limit' });
    parsed.limit = Math.min(Number(limit), maxLimit);
  }
  const cursor = query.get('cursor');
  if (cursor !== null) parsed.afterId = decodeCursor(cursor);
  const since = query.get('updated_since');
  if (since !== null) {
    const sinceMs = Date.parse(since);
    if (!isoInstant.test(since) || Number.isNaN(sinceMs)) {
      throw new FakeRestError(400, 'invalid_parameter', 'updated_since must be an ISO 8601 date-time', { parameter: 'updated_since' });
    }
    parsed.updatedSinceMs = sinceMs;
    parsed.updatedSince = since;
  }
  return parsed;
}
