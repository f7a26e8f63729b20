import { FakeRestError } from './fakeRestApiHttp.js';

/** Set by the server on every write; a client's values for them are ignored, as most APIs do. */
const serverManaged = new Set(['updated_at', 'etag']);

/**
 * The fields of a POST (no `id`) or PATCH (`id`, if sent, must be the path's) body, or 422
 * `validation_failed` with a message per offending field.
 */
export function writeFields(body: unknown, pathId?: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FakeRestError(422, 'validation_failed', 'the body must be a JSON object', { fields: {} });
  }
  const fields: Record<string, string> = {};
  const input = body as Record<string, unknown>;
  if ('id' in input && (pathId === undefined || input.id !== pathId)) fields.id = pathId === undefined ? 'is assigned by the server' : 'cannot be changed';
  if ('name' in input && typeof input.name !== 'string') fields.name = 'must be a string';
  if ('email' in input && (typeof input.email !== 'string' || !input.email.includes('@'))) fields.email = 'must be an email';
  if (Object.keys(fields).length > 0) throw new FakeRestError(422, 'validation_failed', 'the record is invalid', { fields });
  return Object.fromEntries(Object.entries(input).filter(([key]) => key !== 'id' && !serverManaged.has(key)));
}

/**
 * RFC 9110 §13.1.1 If-Match against the record's current etag: required (428, RFC 6585), `*` or a
 * list of strong tags, quoted (unquoted accepted too); weak tags never match.
 */
export function checkIfMatch(header: string | undefined, etag: string): void {
  if (header === undefined || header.trim() === '') {
    throw new FakeRestError(428, 'precondition_required', 'send If-Match with the record\'s current etag');
  }
  const tags = header.split(',').map((tag) => tag.trim());
  const matches = tags.some((tag) => tag === '*' || tag === `"${etag}"` || tag === etag);
  if (!matches) throw new FakeRestError(412, 'precondition_failed', 'the record changed since that etag was read', {}, { etag: `"${etag}"` });
}
