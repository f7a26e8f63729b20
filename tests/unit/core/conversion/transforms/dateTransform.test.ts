import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { apply, valueOf } from '../helpers.js';
import { isoUtc, wallClockMs } from '../../../../../shared/core/conversion/transforms/dateFormats.js';

describe('date transform', () => {
  const iso = (timeZone: string) => [{ op: 'date' as const, formats: ['iso'], timeZone }];

  it('reads local ISO times in an IANA zone, across daylight-saving changes', () => {
    expect(valueOf(iso('Europe/Berlin'), '2024-01-15T10:00:00')).toBe('2024-01-15T09:00:00.000Z');
    expect(valueOf(iso('Europe/Berlin'), '2024-07-15T10:00:00')).toBe('2024-07-15T08:00:00.000Z');
    expect(valueOf(iso('America/New_York'), '2024-03-10 03:30')).toBe('2024-03-10T07:30:00.000Z');
    expect(valueOf(iso('Asia/Kathmandu'), '2024-05-01')).toBe('2024-04-30T18:15:00.000Z');
    expect(valueOf(iso('UTC'), '2024-02-29T23:59:59.123456')).toBe('2024-02-29T23:59:59.123Z');
  });

  it('gives the same results in any order, around transitions included', () => {
    const times = ['2024-03-31T01:59:59', '2024-03-31T02:30:00', '2024-03-31T03:00:00', '2024-10-27T02:30:00', '2024-10-27T03:00:00', '2024-10-26T23:59:59', '2024-01-01T00:00:00'];
    const forwards = times.map((time) => valueOf(iso('Europe/Berlin'), time));
    expect([...times].reverse().map((time) => valueOf(iso('Europe/Berlin'), time))).toEqual([...forwards].reverse());
  });

  it('reads fractions of a second as milliseconds, truncated or padded', () => {
    expect(valueOf(iso('UTC'), '2024-01-01T10:00:00.5')).toBe('2024-01-01T10:00:00.500Z');
    expect(valueOf(iso('UTC'), '2024-01-01T10:00:00.07Z')).toBe('2024-01-01T10:00:00.070Z');
    expect(valueOf(iso('UTC'), '2024-01-01T10:00:00.1239+01:00')).toBe('2024-01-01T09:00:00.123Z');
    expect(apply(iso('UTC'), '2024-01-01T10:00:00.').warnings).toEqual(['date']);
  });

  it('lets an explicit offset win over the zone', () => {
    expect(valueOf(iso('Asia/Tokyo'), '2024-01-15T10:00:00Z')).toBe('2024-01-15T10:00:00.000Z');
    expect(valueOf(iso('Asia/Tokyo'), '2024-01-15T10:00:00-05:30')).toBe('2024-01-15T15:30:00.000Z');
    expect(valueOf(iso('Asia/Tokyo'), '2024-01-15T10:00:00+0100')).toBe('2024-01-15T09:00:00.000Z');
  });

  it('tries several patterns and epochs in order', () => {
    const rule = [{ op: 'date' as const, formats: ['DD/MM/YYYY HH:mm', 'DD/MM/YYYY', 'epoch_s'], timeZone: 'Europe/London' }];
    expect(valueOf(rule, '01/07/2024 12:00')).toBe('2024-07-01T11:00:00.000Z');
    expect(valueOf(rule, '25/12/2024')).toBe('2024-12-25T00:00:00.000Z');
    expect(valueOf(rule, 1700000000)).toBe('2023-11-14T22:13:20.000Z');
    expect(valueOf(rule, '1700000000')).toBe('2023-11-14T22:13:20.000Z');
    expect(valueOf([{ op: 'date', formats: ['epoch_ms'] }], 0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('turns malformed and impossible dates into null with a warning', () => {
    for (const bad of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-01-01T24:00', 'yesterday', '2024-1-1', '２０２４-01-01', '2024-01-01T10:00:00+5', '2024-01-01X']) {
      expect(apply(iso('UTC'), bad), bad).toEqual({ value: null, warnings: ['date'] });
    }
    expect(apply([{ op: 'date', formats: ['epoch_ms'] }], 1e300)).toEqual({ value: null, warnings: ['date'] });
    expect(apply(iso('UTC'), { y: 2024 })).toEqual({ value: null, warnings: ['date'] });
    expect(apply(iso('UTC'), '')).toEqual({ value: null, warnings: [] });
  });

  it('handles years below 100 and leap years at century boundaries', () => {
    expect(valueOf(iso('UTC'), '0050-06-01')).toBe('0050-06-01T00:00:00.000Z');
    expect(valueOf(iso('UTC'), '2000-02-29')).toBe('2000-02-29T00:00:00.000Z');
    expect(apply(iso('UTC'), '1900-02-29').warnings).toEqual(['date']);
  });

  it('computes wall-clock times like Date.UTC, for every year a format can read', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }),
      fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 999 }),
      (year, month, day, hour, minute, second, millisecond) => {
        const date = new Date(0);
        date.setUTCFullYear(year, month - 1, day);
        date.setUTCHours(hour, minute, second, millisecond);
        expect(wallClockMs(year, month, day, hour, minute, second, millisecond)).toBe(date.getTime());
      },
    ));
  });

  it('formats UTC like Date#toISOString', () => {
    fc.assert(fc.property(fc.integer({ min: -62_198_755_200_000, max: 253_402_300_799_999 }), (ms) => {
      expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
    }));
    for (const ms of [-8.64e15, 8.64e15, Date.UTC(1000, 0, 1) - 1, Date.UTC(1000, 0, 1), Date.UTC(10_000, 0, 1) - 1, Date.UTC(10_000, 0, 1)]) {
      expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
    }
  });
});

describe('dates in the first centuries', () => {
  it('a date of year 1 or year 99 in a zone with an offset keeps its year', async () => {
    const { zoneConverter } = await import('../../../../../shared/core/conversion/transforms/timeZone.js');
    const toUtc = zoneConverter('Etc/GMT-1');
    for (const year of [1, 99, 100, 2024]) {
      const wall = new Date(0);
      wall.setUTCFullYear(year, 0, 1);
      expect(new Date(toUtc(wall.getTime())).getUTCFullYear()).toBe(year - 1);
      expect(toUtc(wall.getTime())).toBe(wall.getTime() - 3_600_000);
    }
  });
});
