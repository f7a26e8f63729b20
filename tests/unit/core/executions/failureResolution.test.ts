import { describe, expect, it } from 'vitest';
import { resolvedBySync } from '../../../../shared/core/executions/failureResolution.js';
import type { Failure } from '../../../../shared/core/schemas/failure.js';

const open: Failure = {
  id: 'fail_1',
  tenantId: 't1',
  executionId: 'exe_first',
  taskId: 'task',
  stream: 'customers',
  stage: 'transform',
  errorClass: 'ValidationError',
  message: 'email: "email" is required but missing or empty',
  payloadRef: { externalId: '5' },
  attempts: 1,
  status: 'open',
  createdAt: '2026-03-01T10:00:00.000Z',
};

describe('a failure whose record a later run synced', () => {
  it('is resolved, naming the run and when', () => {
    expect(resolvedBySync(open, 'exe_later', '2026-03-02T10:00:00.000Z')).toEqual({
      ...open,
      status: 'resolved',
      resolvedBy: 'exe_later',
      resolvedAt: '2026-03-02T10:00:00.000Z',
    });
  });

  it('is resolved too when a retry had taken it over, keeping which retry that was', () => {
    expect(resolvedBySync({ ...open, status: 'retried', retriedBy: 'exe_retry' }, 'exe_retry', '2026-03-02T10:00:00.000Z')).toEqual({
      ...open,
      status: 'resolved',
      retriedBy: 'exe_retry',
      resolvedBy: 'exe_retry',
      resolvedAt: '2026-03-02T10:00:00.000Z',
    });
  });

  it('is left alone when it was resolved already', () => {
    expect(resolvedBySync({ ...open, status: 'resolved', resolvedBy: 'exe_other' }, 'exe_later', '2026-03-02T10:00:00.000Z')).toBeUndefined();
  });

  it('is left alone when it waits for a person on a conflict', () => {
    expect(resolvedBySync({ ...open, stage: 'save', errorClass: 'DataMismatch', conflictId: 'conf_1' }, 'exe_later', '2026-03-02T10:00:00.000Z')).toBeUndefined();
  });
});
