import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { patchShard } from '../../../../shared/sync/bidirectional/localEdits.js';
import { getShard, listShards } from '../../../../shared/sync/queries/shardQueries.js';
import { ids } from '../../../../shared/core/ids.js';
import { InvalidInputError } from '../../../../shared/sync/invalidInputError.js';
import { listConflicts } from '../../../../shared/sync/queries/conflictQueries.js';
import { resolveConflict } from '../../../../shared/sync/bidirectional/resolveConflict.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

const operator = { type: 'operator' as const, id: 'ops@example.com' };

/** Customers synced with the built-in schema: `customer` shards and their derived `company_profile` shards. */
describe('a shard PATCH checked against what the schemas produce', () => {
  let fixture: SyncFixture;
  afterEach(() => fixture?.close());

  const customerId = ids.shardFor('shop', 'customers', '1');

  async function synced(): Promise<void> {
    fixture = await syncFixture(5);
    await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
  }

  const refusal = async (shardId: string, data: Record<string, unknown>) => {
    const error: unknown = await patchShard(fixture.deps, 't1', shardId, { data }, operator).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).issues;
  };

  it('an unknown field, at the top or inside a nested target, is a 422 naming it, and nothing is stored', async () => {
    await synced();
    const before = await getShard(fixture.deps, 't1', customerId);
    expect(await refusal(customerId, { firstName: 'Ann', foo: 1 })).toEqual([
      { path: 'data.foo', message: 'is not a field any conversion schema of this shard type produces' },
    ]);
    expect((await refusal(customerId, { address: { city: 'Berlin', street: 'Main St' } })).map((issue) => issue.path)).toEqual(['data.address.street']);
    expect(await getShard(fixture.deps, 't1', customerId)).toEqual(before);
  });

  it('a value of the wrong type is a 422 naming the path and the type expected', async () => {
    await synced();
    const issues = await refusal(customerId, { isPayingCustomer: 'yes', sourceModifiedAt: 'last tuesday', email: 42, address: 'Berlin' });
    expect(issues.map((issue) => issue.path)).toEqual(['data.isPayingCustomer', 'data.sourceModifiedAt', 'data.email', 'data.address']);
    expect(issues[0]!.message).toContain('must be a boolean');
    expect(issues[1]!.message).toContain('ISO 8601 date-time');
    expect(issues[2]!.message).toContain('must be a string');
    expect(issues[3]!.message).toContain('an object with the fields city, postcode, country');
  });

  it('values of the produced types are stored; fields no schema fills any more can be removed', async () => {
    await synced();
    const edited = await patchShard(
      fixture.deps,
      't1',
      customerId,
      { data: { firstName: 'Ann', isPayingCustomer: true, sourceModifiedAt: '2024-05-01T10:00:00Z', address: { city: 'Berlin' }, legacyField: null } },
      operator,
    );
    expect(edited.data).toMatchObject({ firstName: 'Ann', isPayingCustomer: true, sourceModifiedAt: '2024-05-01T10:00:00Z', address: { city: 'Berlin' } });
  });

  it('a conflict resolved with a `custom` value of the wrong type is refused, named from `value`, and stays open', async () => {
    fixture = await syncFixture(5);
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop', direction: 'bidirectional', streams: [{ stream: 'customers', schemaId: 'customers' }] }, 'bidi');
    const sync = async () => {
      await startExecution(fixture.deps, 't1', 'bidi', {});
      await drain(fixture);
    };
    await sync();
    // Both sides change the e-mail address: a conflict for a person.
    fixture.fake.updateRecord('customers', 1, { email: 'remote@example.com' });
    await patchShard(fixture.deps, 't1', customerId, { data: { email: 'local@example.com' } }, operator);
    await sync();
    const [conflict] = (await listConflicts(fixture.deps, 't1', { status: 'open' })).items;
    expect(conflict).toMatchObject({ path: 'email' });

    const error: unknown = await resolveConflict(fixture.deps, 't1', conflict!.id, { action: 'custom', value: 42 }, operator).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues).toEqual([{ path: 'value', message: expect.stringContaining('must be a string') }]);
    expect((await listConflicts(fixture.deps, 't1', { status: 'open' })).items.map((c) => c.id)).toEqual([conflict!.id]);
  });

  it('a derived shard is checked against its own fields', async () => {
    await synced();
    const { items } = await listShards(fixture.deps, 't1', { type: 'company_profile' });
    expect(items.length).toBeGreaterThan(0);
    const profile = items[0]!;
    expect((await refusal(profile.id, { email: 'a@b.c' })).map((issue) => issue.path)).toEqual(['data.email']);
    const edited = await patchShard(fixture.deps, 't1', profile.id, { data: { city: 'Hamburg' } }, operator);
    expect(edited.data).toMatchObject({ city: 'Hamburg' });
  });
});
