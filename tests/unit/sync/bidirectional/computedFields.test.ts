import { afterEach, describe, expect, it } from 'vitest';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { patchShard } from '../../../../shared/sync/bidirectional/localEdits.js';
import { listConflicts } from '../../../../shared/sync/queries/conflictQueries.js';
import { resolveConflict } from '../../../../shared/sync/bidirectional/resolveConflict.js';
import { openFieldConflict } from '../../../../shared/sync/bidirectional/openConflict.js';
import { listShards } from '../../../../shared/sync/queries/shardQueries.js';
import { editedShardHash } from '../../../../shared/core/executions/editedShardHash.js';
import { ids } from '../../../../shared/core/ids.js';
import type { Shard } from '../../../../shared/core/schemas/shard.js';
import { InvalidInputError } from '../../../../shared/sync/invalidInputError.js';
import { DEMO_SCHEMAS } from '../../../../dev/demoSetup.js';
import { deliverWriteBacks, syncedView, syncFixture, type SyncFixture } from '../syncFixture.js';

const operator = { type: 'operator' as const, id: 'ops@example.com' };

/** The built-in customers schema plus a field it computes: `fullName` from first_name and last_name. */
const withFullName = {
  ...DEMO_SCHEMAS.customers,
  fields: [
    ...DEMO_SCHEMAS.customers.fields,
    { fromAll: { first: 'first_name', last: 'last_name' }, to: 'fullName', transforms: [{ op: 'template', template: '{first} {last}' }] },
  ],
};

describe('computed fields in bidirectional sync', () => {
  let fixture: SyncFixture;
  afterEach(() => fixture?.close());

  const shardId = ids.shardFor('shop', 'customers', '1');
  const shard = async () => (await fixture.deps.store.read<Shard>('shards', 't1', shardId))!;
  const provider = () => fixture.fake.getRecord('customers', 1) as { first_name: string; last_name: string };

  async function synced(): Promise<void> {
    fixture = await syncFixture(5);
    await saveConversionSchema(fixture.deps, 't1', withFullName, 'customers');
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop', direction: 'bidirectional', streams: [{ stream: 'customers', schemaId: 'customers' }] }, 'bidi');
    await sync();
  }
  const sync = (taskId = 'bidi') => syncedView(fixture, taskId);
  const writeBacks = () => deliverWriteBacks(fixture);
  const openConflictPaths = async () => (await listConflicts(fixture.deps, 't1', { status: 'open' })).items.map((conflict) => conflict.path);

  it('a PATCH of a computed field is a 422 naming it and its inputs, and changes nothing', async () => {
    await synced();
    const before = await shard();
    for (const data of [{ fullName: 'Someone Else' }, { fullName: null }]) {
      const error: unknown = await patchShard(fixture.deps, 't1', shardId, { data }, operator).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).issues).toEqual([
        { path: 'data.fullName', message: expect.stringContaining('is computed by the conversion schema from first_name, last_name (several inputs, template)') },
      ]);
    }
    expect(await shard()).toEqual(before);
  });

  it('a PATCH of an input computes the field again, and the hash follows the new data; unchanged records stay unchanged', async () => {
    await synced();
    const before = await shard();
    const edited = await patchShard(fixture.deps, 't1', shardId, { data: { firstName: 'Local' } }, operator);
    expect(edited.data).toMatchObject({ firstName: 'Local', fullName: `Local ${provider().last_name}` });
    expect(edited.version).toBe(before.version + 1);
    expect(edited.hash).not.toBe(before.hash);
    expect(edited.hash).toBe(editedShardHash(edited, edited.data));
    expect((await shard()).hash).toBe(edited.hash);

    // The provider's record has not changed: an inbound run and a bidirectional one leave the edit alone.
    expect((await sync('task')).counts).toMatchObject({ unchanged: 5, updated: 0 });
    expect((await shard()).data).toEqual(edited.data);
    expect((await sync()).counts).toMatchObject({ unchanged: 5, updated: 0, conflicts: 0 });
    expect(await writeBacks()).toBe(1);
    expect(provider().first_name).toBe('Local');
    expect((await sync()).counts).toMatchObject({ unchanged: 5, conflicts: 0 });
    expect(await openConflictPaths()).toEqual([]);
    expect(await writeBacks()).toBe(0);
  });

  it('a derived shard’s PATCH gives it the hash of its new data too', async () => {
    await synced();
    const { items } = await listShards(fixture.deps, 't1', { type: 'company_profile' });
    expect(items.length).toBeGreaterThan(0);
    const edited = await patchShard(fixture.deps, 't1', items[0]!.id, { data: { city: 'Hamburg' } }, operator);
    expect(edited.hash).not.toBe(items[0]!.hash);
    expect(edited.hash).toBe(editedShardHash(edited, edited.data));
  });

  it('an input edited at the provider alone: the computed field follows, no conflict', async () => {
    await synced();
    fixture.fake.updateRecord('customers', 1, { last_name: 'Remote' });
    expect((await sync()).counts).toMatchObject({ updated: 1, conflicts: 0 });
    expect((await shard()).data).toMatchObject({ lastName: 'Remote', fullName: `${provider().first_name} Remote` });
    expect(await openConflictPaths()).toEqual([]);
  });

  it('inputs edited on both sides: no conflict on the computed field, which is computed from the merged inputs', async () => {
    await synced();
    fixture.fake.updateRecord('customers', 1, { last_name: 'Remote-Z' });
    await patchShard(fixture.deps, 't1', shardId, { data: { firstName: 'Local-X' } }, operator);

    expect((await sync()).counts).toMatchObject({ updated: 1, conflicts: 0 });
    expect(await openConflictPaths()).toEqual([]);
    expect((await shard()).data).toMatchObject({ firstName: 'Local-X', lastName: 'Remote-Z', fullName: 'Local-X Remote-Z' });

    await writeBacks();
    expect(provider()).toMatchObject({ first_name: 'Local-X', last_name: 'Remote-Z' });
    expect((await sync()).counts).toMatchObject({ unchanged: 5, conflicts: 0 });
    expect((await shard()).data.fullName).toBe('Local-X Remote-Z');
  });

  it('an input the provider changed between our read and our write-back (412): met field by field, no conflict on the computed field', async () => {
    await synced();
    await patchShard(fixture.deps, 't1', shardId, { data: { firstName: 'Local-X' } }, operator);
    fixture.fake.updateRecord('customers', 1, { last_name: 'Remote-Z' });
    await writeBacks();
    expect(provider()).toMatchObject({ first_name: 'Local-X', last_name: 'Remote-Z' });
    expect(await openConflictPaths()).toEqual([]);
    const settled = await shard();
    expect(settled.data).toMatchObject({ firstName: 'Local-X', lastName: 'Remote-Z', fullName: 'Local-X Remote-Z' });
    expect(settled.hash).toBe(editedShardHash(settled, settled.data));
  });

  it('one input edited differently on both sides: the conflict is on that input alone, and resolving it computes the field', async () => {
    await synced();
    const lastName = provider().last_name;
    fixture.fake.updateRecord('customers', 1, { first_name: 'Remote' });
    await patchShard(fixture.deps, 't1', shardId, { data: { firstName: 'Local' } }, operator);

    expect((await sync()).counts).toMatchObject({ conflicts: 1 });
    const { items } = await listConflicts(fixture.deps, 't1', { status: 'open' });
    expect(items.map((conflict) => conflict.path)).toEqual(['firstName']);
    expect(items[0]).toMatchObject({ local: 'Local', remote: 'Remote' });
    expect((await shard()).data.fullName).toBe(`Local ${lastName}`);

    await resolveConflict(fixture.deps, 't1', items[0]!.id, { action: 'custom', value: 'Chosen' }, operator);
    const resolved = await shard();
    expect(resolved.data).toMatchObject({ firstName: 'Chosen', fullName: `Chosen ${lastName}` });
    expect(resolved.hash).toBe(editedShardHash(resolved, resolved.data));
    await writeBacks();
    expect(provider().first_name).toBe('Chosen');
    expect((await sync()).counts).toMatchObject({ unchanged: 5, conflicts: 0 });
  });

  it('a conflict left on a computed field (from before) takes no value of a person’s own', async () => {
    await synced();
    const current = await shard();
    const subject = { tenantId: 't1', shardId, shardType: 'customer', connectionId: 'shop', stream: 'customers', externalId: '1', taskId: 'bidi' };
    const conflict = await openFieldConflict(fixture.deps, subject, { path: 'fullName', keys: ['fullName'], base: 'A', local: 'B', remote: current.data.fullName }, 'merge');

    const error: unknown = await resolveConflict(fixture.deps, 't1', conflict.id, { action: 'custom', value: 'Made Up' }, operator).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues).toEqual([{ path: 'value', message: expect.stringContaining('is computed by the conversion schema') }]);
    expect(await openConflictPaths()).toEqual(['fullName']);
    await patchShard(fixture.deps, 't1', shardId, { data: { firstName: 'Local' } }, operator);
    expect(await resolveConflict(fixture.deps, 't1', conflict.id, { action: 'accept_remote' }, operator)).toMatchObject({ status: 'resolved' });
    expect((await shard()).data.fullName).toBe(current.data.fullName);
  });
});
