import { afterEach, describe, expect, it } from 'vitest';
import { recordDeadLetter } from '../../../../shared/sync/failures/recordDeadLetter.js';
import { recordWriteBackDeadLetter } from '../../../../shared/sync/bidirectional/writeBackDeadLetter.js';
import { listActivity } from '../../../../shared/sync/queries/activityQueries.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { listConflicts } from '../../../../shared/sync/queries/conflictQueries.js';
import { ids } from '../../../../shared/core/ids.js';

describe('dead-lettered messages that belong to no execution', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  it('show up in the tenant activity log (alerts, webhook flushes), and unknown tenants are dropped', async () => {
    fixture = await syncFixture(1);
    const alert = { queue: 'alerts', messageId: 'alert-1', body: { event: { type: 'execution.failed', tenantId: 't1' }, attempt: 0 }, deliveryCount: 10, reason: 'MaxDeliveryCountExceeded' };
    await recordDeadLetter(fixture.deps, alert);
    await recordDeadLetter(fixture.deps, alert);
    await recordDeadLetter(fixture.deps, { queue: 'webhooks', messageId: 'flush-1', body: { tenantId: 'nobody' }, deliveryCount: 10 });
    const activity = await listActivity(fixture.deps, 't1', { action: 'message.dead_lettered' });
    expect(activity.items).toEqual([
      expect.objectContaining({ subject: { kind: 'message', id: 'alert-1' }, details: { queue: 'alerts', reason: 'MaxDeliveryCountExceeded', deliveries: 10 } }),
    ]);
  });

  it('a dead-lettered write-back becomes a RetryExhausted conflict on its shard, once', async () => {
    fixture = await syncFixture(1);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    expect((await getExecution(fixture.deps, 't1', execution.id)).status).toBe('success');
    const shardId = ids.shardFor('shop', 'customers', '1');
    const body = { tenantId: 't1', taskId: 'task', shardId, connectionId: 'shop', stream: 'customers', externalId: '1' };
    const message = { queue: 'sync-writeback', messageId: 'wb-1', body, deliveryCount: 10, reason: 'MaxDeliveryCountExceeded' };
    await recordWriteBackDeadLetter(fixture.deps, message);
    await recordWriteBackDeadLetter(fixture.deps, message);
    const { items } = await listConflicts(fixture.deps, 't1', {});
    expect(items).toEqual([expect.objectContaining({ type: 'RetryExhausted', shardId, externalId: '1', status: 'open' })]);
  });
});
