import { afterEach, describe, expect, it } from 'vitest';
import { recordDeadLetter } from '../../../shared/sync/recordDeadLetter.js';
import { listActivity } from '../../../shared/sync/activityQueries.js';
import { syncFixture, type SyncFixture } from './syncFixture.js';

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
});
