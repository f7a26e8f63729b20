import { describe, expect, it } from 'vitest';
import { alertId, jsonAlertPayload, slackAlertPayload, type AlertEvent } from '../../../../shared/core/operations/alertPayload.js';

const event: AlertEvent = {
  type: 'execution.finished',
  tenantId: 't1',
  occurredAt: '2026-01-01T10:05:00.000Z',
  executionId: 'exe_1',
  taskId: 'customers',
  status: 'success',
  counts: { fetched: 12, created: 12 },
  startedAt: '2026-01-01T10:00:00.000Z',
  finishedAt: '2026-01-01T10:05:00.000Z',
};

describe('the execution.finished payload', () => {
  it('carries the run, its status, counts and times, under an id of its own per execution', () => {
    expect(jsonAlertPayload(event)).toEqual({
      id: alertId(event),
      type: 'execution.finished',
      tenantId: 't1',
      occurredAt: event.occurredAt,
      data: { executionId: 'exe_1', taskId: 'customers', status: 'success', counts: { fetched: 12, created: 12 }, startedAt: event.startedAt, finishedAt: event.finishedAt },
    });
    // A failed run's failure alert and its finished notification are two deliveries, not one de-duplicated away.
    expect(alertId(event)).not.toBe(alertId({ ...event, type: 'execution.failed' }));
    expect(alertId(event)).not.toBe(alertId({ ...event, executionId: 'exe_2' }));
  });

  it('shows the actual status on Slack', () => {
    expect(slackAlertPayload({ ...event, status: 'partial' }).blocks[0]).toMatchObject({ text: { text: expect.stringContaining('*Status:* partial') } });
  });
});
