import { describe, expect, it } from 'vitest';
import { latestModified, nextCursor, parseProviderTime, readFrom } from '../../../shared/core/incrementalCursor.js';

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
    expect(nextCursor({ existing, seen: '2026-03-03T00:00:00.000Z', mode: 'incremental', restricted: false })).toBe('2026-03-03T00:00:00.000Z');
    expect(nextCursor({ existing, seen: '2026-03-01T00:00:00.000Z', mode: 'incremental', restricted: false })).toBeUndefined();
    expect(nextCursor({ existing, seen: '2026-03-01T00:00:00.000Z', mode: 'full', restricted: false })).toBe('2026-03-01T00:00:00.000Z');
    expect(nextCursor({ existing, seen: '2026-03-09T00:00:00.000Z', mode: 'incremental', restricted: true })).toBeUndefined();
    expect(nextCursor({ seen: '2026-03-01T00:00:00.000Z', mode: 'incremental', restricted: false })).toBe('2026-03-01T00:00:00.000Z');
    expect(nextCursor({ existing, mode: 'full', restricted: false })).toBeUndefined();
  });

  it('starts an incremental read an overlap before the cursor', () => {
    expect(readFrom('2026-03-02T00:00:05.000Z', 5000)).toBe('2026-03-02T00:00:00.000Z');
    expect(readFrom(undefined, 5000)).toBeUndefined();
  });
});
