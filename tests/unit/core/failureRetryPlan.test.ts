import { describe, expect, it } from 'vitest';
import { planFailureRetry } from '../../../shared/core/failureRetryPlan.js';

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
      { taskId: 'a', retryOf: 'e1', request: { streams: ['customers', 'orders'], ids: { customers: ['3', '9'] } }, failureIds: ['f1', 'f2', 'f3', 'f4'] },
      { taskId: 'b', retryOf: 'e2', request: { streams: ['products'], ids: { products: ['5'] } }, failureIds: ['f5'] },
    ]);
  });

  it('a failure without a stream re-runs the whole task', () => {
    expect(planFailureRetry([{ id: 'f', taskId: 'a', executionId: 'e' }])).toEqual([{ taskId: 'a', retryOf: 'e', request: {}, failureIds: ['f'] }]);
  });
});
