import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { controlExecution } from '../../../../shared/sync/executions/controlExecution.js';
import { getShard, listOrCountShards } from '../../../../shared/sync/queries/shardQueries.js';
import { ids } from '../../../../shared/core/ids.js';
import type { Shard } from '../../../../shared/core/schemas/shard.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';
import { defaultDedupeRules } from '../../../../shared/core/dedupe/defaultDedupeRules.js';
import { saveDedupeRules } from '../../../../shared/sync/entityResolution/dedupeRuleSets.js';

const shardOf = (externalId: number) => ids.shardFor('shop', 'customers', String(externalId));

describe('deletes by absence', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  async function run(input: Record<string, unknown> = {}) {
    const { execution } = await startExecution(fixture.deps, 't1', 'task', input);
    await drain(fixture);
    return getExecution(fixture.deps, 't1', execution.id);
  }

  it('a customer deleted at the provider is a tombstone after the next full run, not after an incremental one, and comes back when it reappears', async () => {
    fixture = await syncFixture(30);
    expect(await run()).toMatchObject({ status: 'success', counts: { created: 30, deleted: 0 } });
    fixture.fake.deleteRecord('customers', 7);

    const incremental = await run({ mode: 'incremental' });
    expect(incremental).toMatchObject({ status: 'success', counts: { deleted: 0 } });
    expect((await getShard(fixture.deps, 't1', shardOf(7))).deletedAt).toBeUndefined();

    const full = await run();
    expect(full).toMatchObject({ status: 'success', counts: { unchanged: 29, deleted: 1 }, streams: { customers: { counts: { deleted: 1 } } } });
    expect(await getShard(fixture.deps, 't1', shardOf(7))).toMatchObject({ deletedBy: full.id, deletedAt: expect.any(String) });
    expect(await listOrCountShards(fixture.deps, 't1', { type: 'customer', count: 'true' })).toEqual({ count: 29 });
    expect(await listOrCountShards(fixture.deps, 't1', { deleted: 'true' })).toMatchObject({ items: [{ id: shardOf(7) }] });

    // A tombstone stays one: the next full run counts nothing again.
    expect(await run()).toMatchObject({ status: 'success', counts: { unchanged: 29, deleted: 0 } });

    fixture.fake.restoreRecord('customers', 7);
    expect(await run()).toMatchObject({ status: 'success', counts: { updated: 1, unchanged: 29, deleted: 0 } });
    const restored = await getShard(fixture.deps, 't1', shardOf(7));
    expect(restored.deletedAt).toBeUndefined();
    expect(restored.deletedBy).toBeUndefined();
    expect(await listOrCountShards(fixture.deps, 't1', { type: 'customer', count: 'true' })).toEqual({ count: 30 });
  });

  it('a tombstone leaves the entity index: a new customer like the deleted one gets a shard of its own, and the deleted one still comes back', async () => {
    fixture = await syncFixture(30);
    await saveDedupeRules(fixture.deps, 't1', defaultDedupeRules.customer, 'customer');
    expect(await run()).toMatchObject({ status: 'success', counts: { created: 30 } });
    const deleted = fixture.fake.getRecord('customers', 7) as { email: string; first_name: string; last_name: string; billing: Record<string, string> };
    fixture.fake.deleteRecord('customers', 7);
    expect(await run()).toMatchObject({ status: 'success', counts: { deleted: 1 } });

    // Customer 31 signs up with the deleted customer's e-mail and name: a duplicate, had 7 not been deleted.
    fixture.fake.setRecordCount('customers', 31);
    fixture.fake.updateRecord('customers', 31, { email: deleted.email.toUpperCase(), first_name: deleted.first_name, last_name: deleted.last_name, billing: deleted.billing });
    expect(await run()).toMatchObject({ status: 'success', counts: { created: 1, merged: 0 } });
    expect(await getShard(fixture.deps, 't1', shardOf(31))).toMatchObject({ externalRelationships: [{ externalId: '31' }] });
    expect((await getShard(fixture.deps, 't1', shardOf(7))).deletedAt).toBeDefined();

    fixture.fake.restoreRecord('customers', 7);
    const back = await run();
    expect(back.status).toBe('success');
    // Back, it is resolved again with its shard: the two are one customer now.
    expect(await listOrCountShards(fixture.deps, 't1', { type: 'customer', count: 'true' })).toEqual({ count: 30 });
  });

  it('a stream larger than a page of shards: deletes on every page are counted once and tombstoned, a page at a time', async () => {
    fixture = await syncFixture(2_100);
    expect(await run({ batchSize: 100 })).toMatchObject({ status: 'success', counts: { created: 2_100 } });
    const gone = Array.from({ length: 30 }, (_, i) => 7 + i * 70);
    expect(gone.at(-1)).toBeGreaterThan(2_000);
    for (const id of gone) fixture.fake.deleteRecord('customers', id);
    expect(await run({ batchSize: 100 })).toMatchObject({ status: 'success', counts: { unchanged: 2_070, deleted: 30 } });
    for (const id of gone) expect((await getShard(fixture.deps, 't1', shardOf(id))).deletedAt).toBeDefined();
    expect(await listOrCountShards(fixture.deps, 't1', { type: 'customer', count: 'true' })).toEqual({ count: 2_070 });
  });

  it("a deleted customer's company profile is a tombstone too, not counted; both come back when the customer reappears", async () => {
    fixture = await syncFixture(30);
    await run();
    // The built-in customer schema derives a company profile from billing.company.
    const customers = await fixture.deps.store.query<Shard>('shards', 't1', { filters: [{ path: 'shardType', op: '=', value: 'customer' }] });
    const customer = customers.items.find((shard) => shard.links.some((link) => link.rel === 'derived' && link.shardType === 'company_profile'));
    expect(customer).toBeDefined();
    const profileId = customer!.links.find((link) => link.rel === 'derived')!.shardId;
    expect(await getShard(fixture.deps, 't1', profileId)).toMatchObject({ shardType: 'company_profile', links: [{ rel: 'derived_from', shardId: customer!.id }] });
    const profiles = await listOrCountShards(fixture.deps, 't1', { type: 'company_profile', count: 'true' });
    const externalId = Number(customer!.externalRelationships[0]!.externalId);

    fixture.fake.deleteRecord('customers', externalId);
    const full = await run();
    expect(full).toMatchObject({ status: 'success', counts: { deleted: 1 }, streams: { customers: { counts: { deleted: 1 } } } });
    expect(await getShard(fixture.deps, 't1', customer!.id)).toMatchObject({ deletedBy: full.id, deletedAt: expect.any(String) });
    const profile = await getShard(fixture.deps, 't1', profileId);
    expect(profile).toMatchObject({ deletedBy: full.id, deletedAt: (await getShard(fixture.deps, 't1', customer!.id)).deletedAt });
    expect(await listOrCountShards(fixture.deps, 't1', { type: 'company_profile', count: 'true' })).toEqual({ count: (profiles as { count: number }).count - 1 });

    fixture.fake.restoreRecord('customers', externalId);
    expect(await run()).toMatchObject({ status: 'success', counts: { updated: 1, deleted: 0 } });
    for (const id of [customer!.id, profileId]) {
      const restored = await getShard(fixture.deps, 't1', id);
      expect(restored.deletedAt).toBeUndefined();
      expect(restored.deletedBy).toBeUndefined();
    }
    expect(await listOrCountShards(fixture.deps, 't1', { type: 'company_profile', count: 'true' })).toEqual(profiles);
  });

  it('runs that read only part of a stream delete nothing: ids, a dry run, a read stopped by maxRecords', async () => {
    fixture = await syncFixture(30);
    await run();
    fixture.fake.deleteRecord('customers', 3);

    expect(await run({ ids: { customers: ['1', '2'] } })).toMatchObject({ status: 'success', counts: { deleted: 0 } });
    expect(await run({ dryRun: true })).toMatchObject({ status: 'success', counts: { deleted: 0 } });
    expect(await run({ maxRecords: 10 })).toMatchObject({ counts: { deleted: 0 } });
    expect((await getShard(fixture.deps, 't1', shardOf(3))).deletedAt).toBeUndefined();
  });

  it('a full run that would delete most of a stream pauses for confirmation before deleting; confirming deletes', async () => {
    fixture = await syncFixture(30);
    await run();
    for (let id = 1; id <= 20; id++) fixture.fake.deleteRecord('customers', id);

    const paused = await run();
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'confirmation', counts: { deleted: 0 } });
    const tombstones = await fixture.deps.store.query<Shard>('shards', 't1', { filters: [{ path: 'deletedAt', op: 'defined', defined: true }] });
    expect(tombstones.items).toEqual([]);

    await controlExecution(fixture.deps, 't1', paused.id, 'confirm', { type: 'operator', id: 'ana' });
    await drain(fixture);
    expect(await getExecution(fixture.deps, 't1', paused.id)).toMatchObject({ status: 'success', counts: { unchanged: 10, deleted: 20 } });
    // Their company profiles are tombstones too: customers alone are 20.
    expect(await listOrCountShards(fixture.deps, 't1', { type: 'customer', deleted: 'true', count: 'true' })).toEqual({ count: 20 });
  });
});
