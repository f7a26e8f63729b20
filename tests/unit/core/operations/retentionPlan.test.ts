import { describe, expect, it } from 'vitest';
import { isExecutionExpired, retentionCutoffs, retentionTtlSeconds } from '../../../../shared/core/operations/retentionPlan.js';

describe('retention plan', () => {
  const now = new Date('2024-06-30T12:00:00.000Z');

  it('each kind is cut off its own number of days before now', () => {
    const cutoffs = retentionCutoffs({ executionsDays: 10, failuresDays: 20, activityDays: 30, idempotencyKeysDays: 1 }, now);
    expect(cutoffs).toEqual({
      executions: new Date('2024-06-20T12:00:00.000Z'),
      failures: new Date('2024-06-10T12:00:00.000Z'),
      activity: new Date('2024-05-31T12:00:00.000Z'),
      idempotencyKeys: new Date('2024-06-29T12:00:00.000Z'),
    });
  });

  it('a tenant without retention settings (saved before they existed) gets the defaults', () => {
    expect(retentionCutoffs(undefined, now)).toEqual({
      executions: new Date('2024-05-31T12:00:00.000Z'),
      failures: new Date('2024-05-31T12:00:00.000Z'),
      activity: new Date('2024-04-01T12:00:00.000Z'),
      idempotencyKeys: new Date('2024-06-23T12:00:00.000Z'),
    });
    expect(retentionCutoffs({ failuresDays: 2 }, now).failures).toEqual(new Date('2024-06-28T12:00:00.000Z'));
  });

  it('the same retention as a TTL in seconds', () => {
    expect(retentionTtlSeconds({ activityDays: 2 }, 'activity')).toBe(2 * 86_400);
    expect(retentionTtlSeconds(undefined, 'activity')).toBe(90 * 86_400);
  });

  it('only finished executions that ended before the cut-off expire', () => {
    const cutoff = new Date('2024-06-01T00:00:00.000Z');
    expect(isExecutionExpired({ status: 'success', finishedAt: '2024-05-31T23:59:59.999Z' }, cutoff)).toBe(true);
    expect(isExecutionExpired({ status: 'cancelled', finishedAt: '2024-01-01T00:00:00.000Z' }, cutoff)).toBe(true);
    expect(isExecutionExpired({ status: 'failed', finishedAt: '2024-06-01T00:00:00.000Z' }, cutoff)).toBe(false);
    expect(isExecutionExpired({ status: 'running', finishedAt: '2024-01-01T00:00:00.000Z' }, cutoff)).toBe(false);
    expect(isExecutionExpired({ status: 'queued' }, cutoff)).toBe(false);
  });
});
