import { describe, expect, it } from 'vitest';
import { planFailureRetry, type RetryCandidate } from '../../../../shared/core/executions/failureRetryPlan.js';

const recordFailures = (count: number, stream = 'customers'): RetryCandidate[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `f-${stream}-${String(i).padStart(5, '0')}`,
    taskId: 'a',
    executionId: 'e1',
    stream,
    payloadRef: { externalId: String(i + 1) },
    _etag: 'v1',
  }));

describe('failure retry plan', () => {
  it('retries records by id, whole streams for failed pages, and groups by task', () => {
    const plans = planFailureRetry([
      { id: 'f1', taskId: 'a', executionId: 'e1', stream: 'customers', payloadRef: { externalId: '3' } },
      { id: 'f2', taskId: 'a', executionId: 'e1', stream: 'customers', payloadRef: { externalId: '9' } },
      { id: 'f3', taskId: 'a', executionId: 'e1', stream: 'orders', payloadRef: { queue: 'sync-page' } },
      { id: 'f4', taskId: 'a', executionId: 'e1', stream: 'orders', payloadRef: { externalId: '1' } },
      { id: 'f5', taskId: 'b', executionId: 'e2', stream: 'products', payloadRef: { externalId: '5' } },
      { id: 'f6', executionId: 'e3', stream: 'products', payloadRef: { externalId: '5' } },
    ]);
    expect(plans).toEqual([
      { taskId: 'a', retryOf: 'e1', request: { streams: ['customers', 'orders'], ids: { customers: ['3', '9'] } }, idempotencyKey: expect.any(String), failureIds: ['f1', 'f2', 'f3', 'f4'] },
      { taskId: 'b', retryOf: 'e2', request: { streams: ['products'], ids: { products: ['5'] } }, idempotencyKey: expect.any(String), failureIds: ['f5'] },
    ]);
  });

  it('a failure without a stream re-runs the whole task', () => {
    expect(planFailureRetry([{ id: 'f', taskId: 'a', executionId: 'e' }])).toEqual([
      { taskId: 'a', retryOf: 'e', request: {}, idempotencyKey: expect.any(String), failureIds: ['f'] },
    ]);
  });

  it('splits a task with more failed records than one run may name into runs of at most 1,000 ids per stream, each failure in exactly one', () => {
    const pageFailure: RetryCandidate = { id: 'f-page', taskId: 'a', executionId: 'e2', stream: 'orders', payloadRef: { queue: 'sync-page' } };
    const failures = [...recordFailures(2500), ...recordFailures(300, 'products'), pageFailure];
    const plans = planFailureRetry(failures);

    expect(plans.map((plan) => plan.request.streams)).toEqual([['customers', 'orders', 'products'], ['customers'], ['customers']]);
    expect(plans.map((plan) => Object.values(plan.request.ids ?? {}).map((ids) => ids.length))).toEqual([[1000, 300], [1000], [500]]);
    const planned = plans.flatMap((plan) => plan.failureIds);
    expect(planned).toHaveLength(failures.length);
    expect(new Set(planned)).toEqual(new Set(failures.map((f) => f.id)));
    const customerIds = plans.flatMap((plan) => plan.request.ids?.customers ?? []);
    expect(new Set(customerIds).size).toBe(2500);
    expect(new Set(plans.map((plan) => plan.idempotencyKey)).size).toBe(3);
  });

  it('two failures of the same record go into the same run, which names the record once', () => {
    const failures = recordFailures(1001);
    const again: RetryCandidate = { ...failures[1000]!, id: 'f-again', executionId: 'e2' };
    const plans = planFailureRetry([...failures, again]);
    expect(plans).toHaveLength(2);
    const withBoth = plans.find((plan) => plan.failureIds.includes('f-again'))!;
    expect(withBoth.failureIds).toContain('f-customers-01000');
    expect(withBoth.request.ids!.customers!.filter((id) => id === '1001')).toEqual(['1001']);
    expect(plans.flatMap((plan) => plan.request.ids!.customers!)).toHaveLength(1001);
  });

  it('the same failures in any order give the same plans; a failure changed since gives a new key', () => {
    const failures = recordFailures(1200);
    expect(planFailureRetry([...failures].reverse())).toEqual(planFailureRetry(failures));

    const changed = failures.map((failure, i) => (i === 5 ? { ...failure, _etag: 'v2' } : failure));
    const [first, second] = planFailureRetry(failures);
    const [firstChanged, secondChanged] = planFailureRetry(changed);
    expect(firstChanged!.idempotencyKey).not.toBe(first!.idempotencyKey);
    expect(secondChanged!.idempotencyKey).toBe(second!.idempotencyKey);
  });
});
