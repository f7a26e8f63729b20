import { describe, expect, it } from 'vitest';
import { alertId, jsonAlertPayload, slackAlertPayload, type AlertEvent } from '../../../../shared/core/operations/alertPayload.js';

const failed: AlertEvent = {
  type: 'execution.partial',
  tenantId: 'acme',
  occurredAt: '2025-01-02T03:04:05.000Z',
  executionId: 'exe_1',
  taskId: 'task',
  counts: { fetched: 10, created: 7, failed: 3 },
  reason: '3 records failed validation',
  statusUrl: '/api/tenants/acme/executions/exe_1',
};

describe('alertId', () => {
  it('is the same for the same occurrence and differs by type, subject and time', () => {
    expect(alertId(failed)).toBe(alertId({ ...failed, counts: { fetched: 11 }, reason: 'other' }));
    expect(alertId(failed)).toMatch(/^alr_[\w-]{32}$/);
    const others = [
      { ...failed, type: 'execution.failed' as const },
      { ...failed, executionId: 'exe_2' },
      { ...failed, occurredAt: '2025-01-02T03:04:06.000Z' },
      { ...failed, tenantId: 'other' },
    ];
    for (const other of others) expect(alertId(other)).not.toBe(alertId(failed));
  });

  it('uses the connection as the subject of a circuit alert', () => {
    const opened: AlertEvent = { type: 'circuit.opened', tenantId: 'acme', occurredAt: failed.occurredAt, connectionId: 'shop' };
    expect(alertId(opened)).not.toBe(alertId({ ...opened, connectionId: 'crm' }));
  });
});

describe('jsonAlertPayload', () => {
  it('puts the envelope on top and the details under data', () => {
    expect(jsonAlertPayload(failed)).toEqual({
      id: alertId(failed),
      type: 'execution.partial',
      tenantId: 'acme',
      occurredAt: '2025-01-02T03:04:05.000Z',
      data: {
        executionId: 'exe_1',
        taskId: 'task',
        counts: { fetched: 10, created: 7, failed: 3 },
        reason: '3 records failed validation',
        statusUrl: '/api/tenants/acme/executions/exe_1',
      },
    });
  });

  it('omits what the event does not have', () => {
    const opened: AlertEvent = { type: 'circuit.opened', tenantId: 'acme', occurredAt: failed.occurredAt, connectionId: 'shop' };
    expect(JSON.parse(JSON.stringify(jsonAlertPayload(opened))).data).toEqual({ connectionId: 'shop' });
  });

  it('bounds a long reason', () => {
    expect(jsonAlertPayload({ ...failed, reason: 'x'.repeat(5000) }).data.reason).toHaveLength(500);
  });
});

describe('slackAlertPayload', () => {
  it('is a Slack incoming-webhook body naming tenant, task, execution, status and counts', () => {
    const payload = slackAlertPayload(failed);
    expect(payload.text).toBe('Execution finished with failures (tenant acme, exe_1)');
    const [section, context] = payload.blocks;
    expect(section).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          '*:warning: Execution finished with failures*',
          '*Tenant:* `acme`',
          '*Task:* `task`',
          '*Execution:* `exe_1`',
          '*Status:* partial',
          '*Counts:* fetched 10 · created 7 · failed 3',
          '*Reason:* 3 records failed validation',
          '*Status URL:* `/api/tenants/acme/executions/exe_1`',
        ].join('\n'),
      },
    });
    expect(context).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: `2025-01-02T03:04:05.000Z · alert ${alertId(failed)}` }] });
  });

  it('names the status of each event type', () => {
    const statusOf = (type: AlertEvent['type']) => {
      const block = slackAlertPayload({ ...failed, type }).blocks[0];
      return block?.type === 'section' ? /\*Status:\* (.*)/.exec(block.text.text)?.[1] : undefined;
    };
    expect(statusOf('execution.failed')).toBe('failed');
    expect(statusOf('execution.paused_auth')).toBe('paused (credentials rejected)');
    expect(statusOf('circuit.opened')).toBe('circuit open');
  });

  it('escapes Slack control characters in free text and links absolute status URLs', () => {
    const payload = slackAlertPayload({ ...failed, reason: 'a <b> & <!channel>', statusUrl: 'https://ops.example.com/x?a=1&b=2' });
    const text = payload.blocks[0]?.type === 'section' ? payload.blocks[0].text.text : '';
    expect(text).toContain('*Reason:* a &lt;b&gt; &amp; &lt;!channel&gt;');
    expect(text).toContain('*Status URL:* <https://ops.example.com/x?a=1&amp;b=2|execution status>');
  });
});
