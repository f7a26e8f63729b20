import { describe, expect, it } from 'vitest';
import { nextOccurrence, occurrencesBetween, type Timing } from '../../../../shared/core/triggers/scheduleOccurrences.js';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const between = (timing: Timing, after: string, upTo: string, limit?: number) => iso(occurrencesBetween(timing, new Date(after), new Date(upTo), limit));
const berlin = (cron: string): Timing => ({ cron, timeZone: 'Europe/Berlin' });

describe('cron occurrences in a time zone', () => {
  it('reads the pattern in the schedule’s zone (02:30 in Berlin is 01:30 UTC in winter, 00:30 in summer)', () => {
    expect(between(berlin('30 2 * * *'), '2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z')).toEqual(['2026-03-01T01:30:00.000Z', '2026-03-02T01:30:00.000Z']);
    expect(between(berlin('30 2 * * *'), '2026-07-01T00:00:00Z', '2026-07-02T00:00:00Z')).toEqual(['2026-07-01T00:30:00.000Z']);
  });

  it('is (after, upTo]: an occurrence at `after` is excluded, one at `upTo` included', () => {
    const hourly: Timing = { cron: '0 * * * *', timeZone: 'UTC' };
    expect(between(hourly, '2026-01-01T10:00:00Z', '2026-01-01T12:00:00Z')).toEqual(['2026-01-01T11:00:00.000Z', '2026-01-01T12:00:00.000Z']);
    expect(between(hourly, '2026-01-01T10:00:00.001Z', '2026-01-01T10:59:59.999Z')).toEqual([]);
  });

  it('with a limit keeps the latest occurrences', () => {
    const hourly: Timing = { cron: '0 * * * *', timeZone: 'UTC' };
    expect(between(hourly, '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 2)).toEqual(['2026-01-01T23:00:00.000Z', '2026-01-02T00:00:00.000Z']);
  });

  it('accepts 6 fields, seconds first', () => {
    expect(between({ cron: '15 30 2 * * *', timeZone: 'UTC' }, '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')).toEqual(['2026-01-01T02:30:15.000Z']);
  });

  describe('daylight saving (Europe/Berlin, 2026: clocks go forward on Mar 29 02:00, back on Oct 25 03:00)', () => {
    it('a fixed time in the spring-forward gap fires once, when the clock has jumped (03:00 CEST)', () => {
      expect(between(berlin('30 2 * * *'), '2026-03-27T12:00:00Z', '2026-03-30T12:00:00Z')).toEqual([
        '2026-03-28T01:30:00.000Z',
        '2026-03-29T01:00:00.000Z',
        '2026-03-30T00:30:00.000Z',
      ]);
    });

    it('a fixed time in the repeated fall-back hour fires once, on its first pass', () => {
      expect(between(berlin('30 2 * * *'), '2026-10-23T12:00:00Z', '2026-10-26T12:00:00Z')).toEqual([
        '2026-10-24T00:30:00.000Z',
        '2026-10-25T00:30:00.000Z',
        '2026-10-26T01:30:00.000Z',
      ]);
    });

    it('a list of fixed times is fixed too (croner’s default would skip it in the gap and run it twice when repeated)', () => {
      expect(between(berlin('30 2,14 * * *'), '2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T12:30:00.000Z']);
      expect(between(berlin('30 2,14 * * *'), '2026-10-25T00:00:00Z', '2026-10-26T00:00:00Z')).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T13:30:00.000Z']);
    });

    it('an hourly pattern follows elapsed time: no run for the hour that does not exist, one in each pass of the repeated hour', () => {
      expect(between(berlin('0 * * * *'), '2026-03-28T23:30:00Z', '2026-03-29T02:30:00Z')).toEqual([
        '2026-03-29T00:00:00.000Z', // 01:00 CET
        '2026-03-29T01:00:00.000Z', // 03:00 CEST
        '2026-03-29T02:00:00.000Z',
      ]);
      expect(between(berlin('0 * * * *'), '2026-10-24T23:30:00Z', '2026-10-25T02:30:00Z')).toEqual([
        '2026-10-25T00:00:00.000Z', // 02:00 CEST
        '2026-10-25T01:00:00.000Z', // 02:00 CET
        '2026-10-25T02:00:00.000Z',
      ]);
    });

    it('walking back with a limit finds the same occurrences as walking forward', () => {
      const all = between(berlin('30 2 * * *'), '2026-10-20T00:00:00Z', '2026-10-30T00:00:00Z');
      expect(between(berlin('30 2 * * *'), '2026-10-20T00:00:00Z', '2026-10-30T00:00:00Z', 4)).toEqual(all.slice(-4));
      expect(all).toHaveLength(10);
    });
  });

  it('next occurrence is strictly after the reference, also within the same second', () => {
    const daily = berlin('30 2 * * *');
    expect(nextOccurrence(daily, new Date('2026-03-28T12:00:00Z'))?.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(nextOccurrence(daily, new Date('2026-03-29T01:00:00.500Z'))?.toISOString()).toBe('2026-03-30T00:30:00.000Z');
    expect(nextOccurrence({ cron: '0 0 30 2 *', timeZone: 'UTC' }, new Date('2026-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('interval occurrences', () => {
  const every15: Timing = { interval: { every: 15, unit: 'minutes' }, anchor: new Date('2026-01-01T10:02:00Z') };

  it('count from the anchor, the anchor itself excluded', () => {
    expect(between(every15, '2026-01-01T09:00:00Z', '2026-01-01T10:47:00Z')).toEqual([
      '2026-01-01T10:17:00.000Z',
      '2026-01-01T10:32:00.000Z',
      '2026-01-01T10:47:00.000Z',
    ]);
    expect(between(every15, '2026-01-01T10:17:00Z', '2026-01-01T10:31:59Z')).toEqual([]);
  });

  it('with a limit keep the latest', () => {
    expect(between(every15, '2026-01-01T10:00:00Z', '2026-01-01T12:00:00Z', 2)).toEqual(['2026-01-01T11:32:00.000Z', '2026-01-01T11:47:00.000Z']);
  });

  it('days are 24 hours of elapsed time, whatever the clocks do', () => {
    const daily: Timing = { interval: { every: 1, unit: 'days' }, anchor: new Date('2026-03-28T12:00:00Z') };
    expect(between(daily, '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z')).toEqual(['2026-03-29T12:00:00.000Z', '2026-03-30T12:00:00.000Z']);
  });

  it('next occurrence', () => {
    expect(nextOccurrence(every15, new Date('2026-01-01T10:02:00Z'))?.toISOString()).toBe('2026-01-01T10:17:00.000Z');
    expect(nextOccurrence(every15, new Date('2026-01-01T10:17:00Z'))?.toISOString()).toBe('2026-01-01T10:32:00.000Z');
    expect(nextOccurrence(every15, new Date('2025-12-31T00:00:00Z'))?.toISOString()).toBe('2026-01-01T10:17:00.000Z');
  });
});
