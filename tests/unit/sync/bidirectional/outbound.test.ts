import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import { writeBack } from '../../../../shared/sync/bidirectional/writeBack.js';
import { pushTask } from '../../../../shared/sync/bidirectional/outboundWriteBacks.js';
import { syncWriteBackMessage } from '../../../../shared/core/schemas/messages.js';
import { ids } from '../../../../shared/core/ids.js';
import type { Shard } from '../../../../shared/core/schemas/shard.js';
import { StateConflictError } from '../../../../shared/sync/stateConflictError.js';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../../../dev/fakes/fakeWooCommerce.js';
import { DEMO_CREDENTIALS } from '../../../../dev/demoSetup.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

const CUSTOMERS = 6;

describe('outbound tasks', () => {
  let fixture: SyncFixture;
  let target: FakeWooCommerce;
  afterEach(async () => {
    await target?.close();
    await fixture?.close();
  });

  async function setUp(): Promise<void> {
    fixture = await syncFixture(CUSTOMERS);
    target = await startFakeWooCommerce({ seed: 9, counts: { customers: 0, products: 0, orders: 0 }, ...DEMO_CREDENTIALS });
    await saveConnection(fixture.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: target.url }, credentials: DEMO_CREDENTIALS }, 'other-shop');
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'other-shop', direction: 'outbound', streams: [{ stream: 'customers', schemaId: 'customers' }] }, 'copy');
  }
  const sync = async () => {
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    expect((await getExecution(fixture.deps, 't1', execution.id)).status).toBe('success');
  };
  const writeBacks = async () => {
    for (;;) {
      const messages = await fixture.bus.receive('sync-writeback', 20);
      if (messages.length === 0) return;
      for (const message of messages) {
        await writeBack(fixture.deps, syncWriteBackMessage.parse(message.body));
        await fixture.bus.complete('sync-writeback', message.lockToken);
      }
    }
  };
  const created = () => Array.from({ length: CUSTOMERS + 2 }, (_, i) => target.getRecord('customers', i + 1)).filter((r) => r !== undefined);

  it("one store's customers are created in another, and later changes update them instead of duplicating", async () => {
    await setUp();
    await sync();
    await writeBacks();
    expect(created()).toHaveLength(CUSTOMERS);
    const source = fixture.fake.getRecord('customers', 2)!;
    const shard = (await fixture.deps.store.read<Shard>('shards', 't1', ids.shardFor('shop', 'customers', '2')))!;
    const copy = shard.externalRelationships.find((r) => r.connectionId === 'other-shop')!;
    expect(target.getRecord('customers', Number(copy.externalId))).toMatchObject({ email: source.email, first_name: source.first_name });

    fixture.fake.updateRecord('customers', 2, { first_name: 'Renamed' });
    await sync();
    await writeBacks();
    expect(created()).toHaveLength(CUSTOMERS);
    expect(target.getRecord('customers', Number(copy.externalId))).toMatchObject({ first_name: 'Renamed' });

    // Pushing everything again creates nothing: each shard has its record there.
    expect(await pushTask(fixture.deps, 't1', 'copy')).toEqual({ creates: 0, updates: CUSTOMERS });
    await writeBacks();
    expect(created()).toHaveLength(CUSTOMERS);
  });

  it('an outbound task is pushed, not run or scheduled', async () => {
    await setUp();
    await expect(startExecution(fixture.deps, 't1', 'copy', {})).rejects.toBeInstanceOf(StateConflictError);
    await expect(pushTask(fixture.deps, 't1', 'task')).rejects.toBeInstanceOf(StateConflictError);
  });
});
