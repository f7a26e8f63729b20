import { describe, expect, it } from 'vitest';
import { flaggedDeleted, readPageAnswer, type PageAnswer } from '../../../../shared/connectors/spec/pagePlan.js';
import { streamSpec, type StreamSpec } from '../../../../shared/connectors/spec/streamSpec.js';

type StreamInput = Parameters<typeof streamSpec.parse>[0];
const streamOf = (extra: Record<string, unknown> = {}): StreamSpec =>
  streamSpec.parse({ name: 'customers', path: 'customers', modifiedField: 'updated_at', paginator: { kind: 'range' }, ...extra } as StreamInput);
const answer = (body: unknown, headers: PageAnswer['headers']): PageAnswer => ({ body, headers, url: 'https://x.supabase.co/rest/v1/customers' });

describe('what PostgREST answers, read by the spec framework', () => {
  it('takes a Content-Range without a unit (`0-999/12345`, `*/0`) and still requires the total', () => {
    const stream = streamOf();
    expect(readPageAnswer(stream, { page: 1, perPage: 1000 }, answer([{ id: 1 }], { 'content-range': '0-999/12345' }))).toMatchObject({ totals: { totalRecords: 12345, totalPages: 13 } });
    expect(readPageAnswer(stream, { page: 1, perPage: 1000 }, answer([], { 'content-range': '*/0' }))).toMatchObject({ totals: { totalRecords: 0, totalPages: 0 } });
    expect(readPageAnswer(stream, { page: 1, perPage: 1000 }, answer([{ id: 1 }], { 'content-range': '0-0/*' }))).toEqual({ kind: 'invalid', problem: 'the Content-Range header is missing or has no total' });
  });

  it('deletedWhenSet: a soft-delete time marks a row deleted, null does not', () => {
    const stream = streamOf({ deletedFlagPath: 'deleted_at', deletedWhenSet: true });
    expect(flaggedDeleted(stream, { id: 1, deleted_at: '2026-01-01T00:00:00+00:00' })).toBe(true);
    expect(flaggedDeleted(stream, { id: 1, deleted_at: null })).toBe(false);
    expect(flaggedDeleted(stream, { id: 1 })).toBe(false);
    const page = readPageAnswer(stream, { page: 1, perPage: 10 }, answer([{ id: 1, deleted_at: null }, { id: 2, deleted_at: '2026-01-01T00:00:00+00:00' }], { 'content-range': '0-1/2' }));
    expect(page).toMatchObject({ kind: 'page', records: [{ id: 1 }], deletedIds: ['2'] });
    // Without it, the flag still means deletedFlagValue (default true).
    expect(flaggedDeleted(streamOf({ deletedFlagPath: 'deleted_at' }), { deleted_at: '2026-01-01T00:00:00+00:00' })).toBe(false);
  });
});
