import { describe, expect, it } from 'vitest';
import { MISSED_LOOKBACK, planFiring, type FiringSchedule } from '../../../../shared/core/triggers/firingPlan.js';

const hourly = (missedRunPolicy: FiringSchedule['missedRunPolicy'], maxCatchUp = 10): FiringSchedule => ({
  cron: '0 * * * *',
  timeZone: 'UTC',
  anchor: '2026-01-01T00:00:00.000Z',
  missedRunPolicy,
  maxCatchUp,
});
const plan = (schedule: FiringSchedule, lastEvaluatedAt: string, now: string) => {
  const result = planFiring(schedule, new Date(lastEvaluatedAt), new Date(now));
  return { fire: result.fire.map((d) => d.toISOString().slice(11, 16)), skipped: result.skipped.map((d) => d.toISOString().slice(11, 16)), moreSkipped: result.moreSkipped, next: result.next?.toISOString() };
};

describe('planFiring', () => {
  it('fires what is due in the current tick, whatever the policy', () => {
    for (const policy of ['skip', 'once', 'all'] as const) {
      expect(plan(hourly(policy), '2026-01-01T10:59:00Z', '2026-01-01T11:00:00Z')).toEqual({ fire: ['11:00'], skipped: [], moreSkipped: false, next: '2026-01-01T12:00:00.000Z' });
    }
  });

  it('nothing is due between occurrences', () => {
    expect(plan(hourly('all'), '2026-01-01T11:00:00Z', '2026-01-01T11:01:00Z')).toEqual({ fire: [], skipped: [], moreSkipped: false, next: '2026-01-01T12:00:00.000Z' });
  });

  it('a tick that comes a little late (under 90 s) is still on time, not missed', () => {
    expect(plan(hourly('skip'), '2026-01-01T10:59:59.990Z', '2026-01-01T11:01:00.020Z').fire).toEqual(['11:00']);
  });

  describe('after 3 hours of downtime (last evaluated 10:00, back at 13:30: 11:00, 12:00 and 13:00 were missed)', () => {
    const down = (schedule: FiringSchedule) => plan(schedule, '2026-01-01T10:00:00Z', '2026-01-01T13:30:00Z');

    it('skip fires none of them', () => {
      expect(down(hourly('skip'))).toMatchObject({ fire: [], skipped: ['11:00', '12:00', '13:00'] });
    });
    it('once fires the latest', () => {
      expect(down(hourly('once'))).toMatchObject({ fire: ['13:00'], skipped: ['11:00', '12:00'] });
    });
    it('all fires each, oldest first', () => {
      expect(down(hourly('all'))).toMatchObject({ fire: ['11:00', '12:00', '13:00'], skipped: [] });
    });
    it('all fires at most maxCatchUp, the latest ones', () => {
      expect(down(hourly('all', 2))).toMatchObject({ fire: ['12:00', '13:00'], skipped: ['11:00'] });
    });
  });

  it('once does not add a catch-up run when an on-time occurrence fires anyway', () => {
    expect(plan(hourly('once'), '2026-01-01T10:00:00Z', '2026-01-01T13:00:10Z')).toMatchObject({ fire: ['13:00'], skipped: ['11:00', '12:00'] });
    expect(plan(hourly('all'), '2026-01-01T10:00:00Z', '2026-01-01T13:00:10Z')).toMatchObject({ fire: ['11:00', '12:00', '13:00'], skipped: [] });
  });

  it('a very long outage lists a bounded number of missed occurrences and says there were more', () => {
    const everyMinute: FiringSchedule = { ...hourly('skip'), cron: '* * * * *' };
    const result = planFiring(everyMinute, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-03T00:00:00Z'));
    expect(result.skipped).toHaveLength(MISSED_LOOKBACK);
    expect(result.moreSkipped).toBe(true);
    expect(result.skipped.at(-1)!.toISOString()).toBe('2026-01-02T23:58:00.000Z');
  });

  it('plans intervals from their anchor', () => {
    const every15: FiringSchedule = { interval: { every: 15, unit: 'minutes' }, timeZone: 'UTC', anchor: '2026-01-01T10:02:00.000Z', missedRunPolicy: 'once', maxCatchUp: 10 };
    expect(plan(every15, '2026-01-01T10:16:00Z', '2026-01-01T10:17:00Z')).toEqual({ fire: ['10:17'], skipped: [], moreSkipped: false, next: '2026-01-01T10:32:00.000Z' });
  });
});
