import { describe, expect, it } from 'vitest';
import { latestModified, nextCursor, parseProviderTime, readFrom, readToEnd } from '../../../../shared/core/executions/incrementalCursor.js';

describe('incremental cursor', () => {
  it('reads provider times with or without a zone as UTC', () => {
    expect(parseProviderTime('2026-03-01T10:00:00')).toBe(Date.parse('2026-03-01T10:00:00Z'));
    expect(parseProviderTime('2026-03-01T10:00:00+02:00')).toBe(Date.parse('2026-03-01T08:00:00Z'));
    expect(parseProviderTime('')).toBeUndefined();
    expect(parseProviderTime('not a date')).toBeUndefined();
    expect(parseProviderTime(17)).toBeUndefined();
  });

  it('finds the latest modification of a page', () => {
    const records = [{ m: '2026-03-01T10:00:00' }, { m: '2026-03-02T09:00:00' }, { m: null }, {}];
    expect(latestModified(records, 'm')).toBe('2026-03-02T09:00:00.000Z');
    expect(latestModified([{}], 'm')).toBeUndefined();
  });

  it('moves forward on incremental runs, resets on full runs, never moves on restricted runs', () => {
    const existing = '2026-03-02T00:00:00.000Z';
    const complete = { restricted: false, readToEnd: true };
    expect(nextCursor({ existing, seen: '2026-03-03T00:00:00.000Z', mode: 'incremental', ...complete })).toBe('2026-03-03T00:00:00.000Z');
    expect(nextCursor({ existing, seen: '2026-03-01T00:00:00.000Z', mode: 'incremental', ...complete })).toBeUndefined();
    expect(nextCursor({ existing, seen: '2026-03-01T00:00:00.000Z', mode: 'full', ...complete })).toBe('2026-03-01T00:00:00.000Z');
    expect(nextCursor({ existing, seen: '2026-03-09T00:00:00.000Z', mode: 'incremental', ...complete, restricted: true })).toBeUndefined();
    expect(nextCursor({ seen: '2026-03-01T00:00:00.000Z', mode: 'incremental', ...complete })).toBe('2026-03-01T00:00:00.000Z');
    expect(nextCursor({ existing, mode: 'full', ...complete })).toBeUndefined();
  });

  it('never moves past a read that stopped before the stream ended', () => {
    const existing = '2026-03-02T00:00:00.000Z';
    for (const mode of ['full', 'incremental'] as const) {
      expect(nextCursor({ existing, seen: '2026-03-09T00:00:00.000Z', mode, restricted: false, readToEnd: false })).toBeUndefined();
    }
  });

  describe('a stream read to its end', () => {
    const read = { totalsKnown: 1, pagesTotal: 4, pagesDone: 4, failedPages: 0, failedBatches: 0 };

    it('is every page fetched and processed, even when some records failed (a partial run)', () => {
      expect(readToEnd('success', read)).toBe(true);
      expect(readToEnd('partial', read)).toBe(true);
    });

    it('is not a read with a page left, a page that could not be fetched, a batch given up on, or stopped by maxRecords', () => {
      expect(readToEnd('partial', { ...read, pagesDone: 3 })).toBe(false);
      expect(readToEnd('partial', { ...read, totalsKnown: 0, pagesTotal: 0, pagesDone: 0 })).toBe(false);
      expect(readToEnd('partial', { ...read, failedPages: 1 })).toBe(false);
      expect(readToEnd('partial', { ...read, failedBatches: 1 })).toBe(false);
      expect(readToEnd('success', { ...read, truncated: 1 })).toBe(false);
    });

    it('is not anything a failed run read', () => {
      expect(readToEnd('failed', read)).toBe(false);
    });
  });

  it('starts an incremental read an overlap before the cursor', () => {
    expect(readFrom('2026-03-02T00:00:05.000Z', 5000)).toBe('2026-03-02T00:00:00.000Z');
    expect(readFrom(undefined, 5000)).toBeUndefined();
  });
});
