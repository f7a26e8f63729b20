import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { saveDedupeRules } from '../../../../shared/sync/entityResolution/dedupeRuleSets.js';
import { unmergeShard } from '../../../../shared/sync/entityResolution/shardMerges.js';
import { getShard } from '../../../../shared/sync/queries/shardQueries.js';
import { processBatch } from '../../../../shared/sync/pages/processBatch.js';
import { syncBatchMessage } from '../../../../shared/core/schemas/messages.js';
import { defaultDedupeRules } from '../../../../shared/core/dedupe/defaultDedupeRules.js';
import { ids } from '../../../../shared/core/ids.js';
import type { Shard } from '../../../../shared/core/schemas/shard.js';
import { StateConflictError } from '../../../../shared/sync/stateConflictError.js';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../../../dev/fakes/fakeWooCommerce.js';
import { DEMO_CREDENTIALS } from '../../../../dev/demoSetup.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

const CUSTOMERS = 30;

describe('entity resolution in a sync', () => {
  let fixture: SyncFixture;
  let second: FakeWooCommerce | undefined;
  afterEach(async () => {
    await second?.close();
    second = undefined;
    await fixture?.close();
  });

  async function setUp(): Promise<void> {
    fixture = await syncFixture(CUSTOMERS);
    await saveDedupeRules(fixture.deps, 't1', defaultDedupeRules.customer, 'customer');
  }
  const sync = async (taskId = 'task') => {
    const { execution } = await startExecution(fixture.deps, 't1', taskId, {});
    await drain(fixture);
    const view = await getExecution(fixture.deps, 't1', execution.id);
    expect(view.status).toBe('success');
    return view;
  };
  const customers = async () =>
    (await fixture.deps.store.query<Shard>('shards', 't1', { filters: [{ path: 'shardType', op: '=', value: 'customer' }] }, { maxItems: 1000 })).items;
  const shardOf = (externalId: number, connectionId = 'shop') => fixture.deps.store.read<Shard>('shards', 't1', ids.shardFor(connectionId, 'customers', String(externalId)));

  /** Customer 2 becomes customer 1 again, as a second sign-up with a typo and a reformatted phone. */
  function makeDuplicate(): void {
    const original = fixture.fake.getRecord('customers', 1) as { email: string; first_name: string; last_name: string; billing: Record<string, string> };
    fixture.fake.updateRecord('customers', 2, {
      email: original.email.toUpperCase(),
      first_name: original.first_name,
      last_name: `${original.last_name.slice(0, -1)}${original.last_name.at(-1) === 'e' ? 'a' : 'e'}`,
      billing: { ...original.billing, phone: original.billing.phone!.replace(/\s/g, ''), company: 'Newco' },
    });
  }

  it('a duplicate inside one source joins the first record’s shard, and the merge says why', async () => {
    await setUp();
    makeDuplicate();
    const view = await sync();
    expect(view.counts).toMatchObject({ created: CUSTOMERS - 1, merged: 1, failed: 0 });
    expect(await customers()).toHaveLength(CUSTOMERS - 1);
    expect(await shardOf(2)).toBeUndefined();
    const survivor = (await shardOf(1))!;
    expect(survivor.externalRelationships.map((r) => r.externalId).sort()).toEqual(['1', '2']);
    expect(survivor.merges).toEqual([expect.objectContaining({ source: 'shop/customers/2', shardId: ids.shardFor('shop', 'customers', '2') })]);
    expect(survivor.merges![0]!.matched.map((m) => m.field)).toContain('email');
    expect(survivor.merges![0]!.score).toBeGreaterThanOrEqual(defaultDedupeRules.customer.threshold);
    // merge_fields: the newest non-empty value per field, so the second sign-up's company is there.
    expect(survivor.data.company).toBe('Newco');
    // The duplicate's own id leads to the shard it joined.
    expect(await getShard(fixture.deps, 't1', ids.shardFor('shop', 'customers', '2'))).toMatchObject({ id: survivor.id });
  });

  it('a record with only its own e-mail to compare on is neither matched fuzzily nor dropped', async () => {
    await setUp();
    makeDuplicate();
    // Same address and company as customer 1, but no name, phone or postcode: no block but its own e-mail.
    fixture.fake.updateRecord('customers', 2, { email: 'someone.else@example.net', first_name: '', last_name: '', billing: { phone: '', postcode: '' } });
    const view = await sync();
    expect(view.counts).toMatchObject({ created: CUSTOMERS, merged: 0, failed: 0 });
    expect(await shardOf(2)).toBeDefined();
  });

  it('a re-run changes nothing; a change to the merged record reaches the survivor', async () => {
    await setUp();
    makeDuplicate();
    await sync();
    expect((await sync()).counts).toMatchObject({ unchanged: CUSTOMERS, created: 0, merged: 0, updated: 0 });
    fixture.fake.updateRecord('customers', 2, { billing: { company: 'Renamed Co' } });
    expect((await sync()).counts).toMatchObject({ updated: 1, unchanged: CUSTOMERS - 1 });
    expect((await shardOf(1))!.data.company).toBe('Renamed Co');
  });

  it('unmerging gives the record its own shard back; later runs leave both alone; unmerging twice is a conflict', async () => {
    await setUp();
    makeDuplicate();
    await sync();
    const survivorId = ids.shardFor('shop', 'customers', '1');
    const { restored, survivor } = await unmergeShard(fixture.deps, 't1', survivorId, { source: 'shop/customers/2' }, { type: 'operator', id: 'ops@example.com' });
    expect(restored.id).toBe(ids.shardFor('shop', 'customers', '2'));
    expect(survivor.externalRelationships.map((r) => r.externalId)).toEqual(['1']);
    expect(survivor.merges).toBeUndefined();
    expect(await customers()).toHaveLength(CUSTOMERS);
    expect((await sync()).counts).toMatchObject({ unchanged: CUSTOMERS, merged: 0 });
    await expect(unmergeShard(fixture.deps, 't1', survivorId, { source: 'shop/customers/2' }, { type: 'operator' })).rejects.toBeInstanceOf(StateConflictError);
  });

  it('two workers syncing the same people from two stores at the same time end with one shard per person', async () => {
    await setUp();
    // A second store with the same seed holds the same people under the same ids: every one a duplicate.
    second = await startFakeWooCommerce({ seed: 5, counts: { customers: CUSTOMERS, products: 0, orders: 0 }, ...DEMO_CREDENTIALS });
    await saveConnection(fixture.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: second.url }, credentials: DEMO_CREDENTIALS }, 'shop2');
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop2', streams: [{ stream: 'customers', schemaId: 'customers' }], defaults: { batchSize: 10 } }, 'task2');
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'customers' }], defaults: { batchSize: 10 } }, 'task1');
    const runs = [await startExecution(fixture.deps, 't1', 'task1', {}), await startExecution(fixture.deps, 't1', 'task2', {})];
    for (let i = 0; i < 5; i++) await drain(fixture, { skipBatches: true });
    const batches = await fixture.bus.receive('sync-batch', 100);
    expect(batches).toHaveLength(6);
    await Promise.all(batches.map((message) => processBatch(fixture.deps, syncBatchMessage.parse(message.body), message)));
    await drain(fixture);
    const views = await Promise.all(runs.map(({ execution }) => getExecution(fixture.deps, 't1', execution.id)));
    expect(views.map((v) => v.status)).toEqual(['success', 'success']);
    const all = await customers();
    expect(all).toHaveLength(CUSTOMERS);
    expect(all.every((shard) => shard.externalRelationships.length === 2)).toBe(true);
    expect(views.reduce((sum, v) => sum + v.counts.created, 0)).toBe(CUSTOMERS);
    expect(views.reduce((sum, v) => sum + v.counts.merged, 0)).toBe(CUSTOMERS);
  });

  it('rules saved after a first sync: the next run merges the duplicates already stored, and their ids lead to the survivor', async () => {
    fixture = await syncFixture(CUSTOMERS);
    makeDuplicate();
    expect((await sync()).counts).toMatchObject({ created: CUSTOMERS });
    const duplicateId = ids.shardFor('shop', 'customers', '2');
    const duplicate = (await fixture.deps.store.read<Shard>('shards', 't1', duplicateId))!;
    const derivedOfDuplicate = duplicate.links.find((link) => link.rel === 'derived')?.shardId;
    expect(derivedOfDuplicate).toBeDefined();

    await saveDedupeRules(fixture.deps, 't1', defaultDedupeRules.customer, 'customer');
    const view = await sync();
    expect(view.counts).toMatchObject({ merged: 1, unchanged: CUSTOMERS - 1 });
    expect(await customers()).toHaveLength(CUSTOMERS - 1);
    expect(await shardOf(2)).toBeUndefined();
    expect(await fixture.deps.store.read('shards', 't1', derivedOfDuplicate!)).toBeUndefined();
    const survivor = (await shardOf(1))!;
    expect(survivor.externalRelationships.map((r) => r.externalId).sort()).toEqual(['1', '2']);
    expect(survivor.merges).toEqual([expect.objectContaining({ source: 'shop/customers/2', shardId: duplicateId })]);

    // Every shard is now resolved with these rules: the next run writes nothing.
    expect((await sync()).counts).toMatchObject({ unchanged: CUSTOMERS, merged: 0, updated: 0 });
    fixture.fake.updateRecord('customers', 2, { billing: { company: 'Later Co' } });
    expect((await sync()).counts).toMatchObject({ updated: 1 });
    expect((await shardOf(1))!.data.company).toBe('Later Co');
  });
});
