import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { patchShard } from '../../../../shared/sync/bidirectional/localEdits.js';
import { listConflicts } from '../../../../shared/sync/queries/conflictQueries.js';
import { resolveConflict } from '../../../../shared/sync/bidirectional/resolveConflict.js';
import { listFailures } from '../../../../shared/sync/queries/failureQueries.js';
import { ids } from '../../../../shared/core/ids.js';
import type { Shard } from '../../../../shared/core/schemas/shard.js';
import { InvalidInputError } from '../../../../shared/sync/invalidInputError.js';
import { StateConflictError } from '../../../../shared/sync/stateConflictError.js';
import { UnknownResourceError } from '../../../../shared/sync/unknownResourceError.js';
import { deliverWriteBacks, drain, step, syncedView, syncFixture, type SyncFixture } from '../syncFixture.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';

const operator = { type: 'operator' as const, id: 'ops@example.com' };

describe('bidirectional sync', () => {
  let fixture: SyncFixture;
  afterEach(() => fixture?.close());

  async function setUp(): Promise<void> {
    fixture = await syncFixture(5);
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop', direction: 'bidirectional', streams: [{ stream: 'customers', schemaId: 'customers' }] }, 'bidi');
  }
  const sync = () => syncedView(fixture, 'bidi');
  /** Delivers queued write-backs until none are left; returns how many ran. */
  const writeBacks = () => deliverWriteBacks(fixture);
  const shardId = ids.shardFor('shop', 'customers', '1');
  const shard = async () => (await fixture.deps.store.read<Shard>('shards', 't1', shardId))!;
  const provider = () => fixture.fake.getRecord('customers', 1) as { first_name: string; last_name: string; billing: { phone: string } };

  it('a local edit is written to the provider, and its echo changes nothing', async () => {
    await setUp();
    await sync();
    await patchShard(fixture.deps, 't1', shardId, { data: { phone: '+1 555 0100' } }, operator);
    expect(await writeBacks()).toBe(1);
    expect(provider().billing.phone).toBe('+1 555 0100');
    const view = await sync();
    expect(view.counts).toMatchObject({ unchanged: 5, updated: 0, conflicts: 0 });
    expect(await writeBacks()).toBe(0);
  });

  it('X changed on both sides, Y locally, Z at the provider: one conflict on X, Y and Z land on both sides, resolving X sets the provider', async () => {
    await setUp();
    await sync();
    const before = provider();
    fixture.fake.updateRecord('customers', 1, { first_name: 'Remote-X', last_name: 'Remote-Z' });
    await patchShard(fixture.deps, 't1', shardId, { data: { firstName: 'Local-X', phone: '+1 555 0199' } }, operator);

    const view = await sync();
    expect(view.counts).toMatchObject({ conflicts: 1, updated: 1 });
    const { items, stats } = await listConflicts(fixture.deps, 't1', { status: 'open' });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'DataMismatch', path: 'firstName', base: before.first_name, local: 'Local-X', remote: 'Remote-X', strategy: 'merge' });
    expect(stats.byType).toEqual({ DataMismatch: 1 });
    // The record is a failure of the run until a person decides, linked both ways.
    const failures = await listFailures(fixture.deps, 't1', { executionId: view.id });
    expect(failures.items).toEqual([expect.objectContaining({ errorClass: 'DataMismatch', conflictId: items[0]!.id, status: 'open' })]);
    expect(items[0]!.failureId).toBe(failures.items[0]!.id);

    await writeBacks();
    expect(provider()).toMatchObject({ first_name: 'Remote-X', last_name: 'Remote-Z', billing: { phone: '+1 555 0199' } });
    expect((await shard()).data).toMatchObject({ firstName: 'Local-X', lastName: 'Remote-Z', phone: '+1 555 0199' });

    const refused = await resolveConflict(fixture.deps, 't1', items[0]!.id, { action: 'custom' }, operator).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidInputError);
    const resolved = await resolveConflict(fixture.deps, 't1', items[0]!.id, { action: 'custom', value: 'Chosen-X' }, operator);
    expect((await listFailures(fixture.deps, 't1', { executionId: view.id })).items[0]).toMatchObject({ status: 'resolved' });
    expect(resolved).toMatchObject({ status: 'resolved', resolution: { action: 'custom', value: 'Chosen-X', by: 'ops@example.com' } });
    await writeBacks();
    expect(provider().first_name).toBe('Chosen-X');
    expect((await shard()).data.firstName).toBe('Chosen-X');
    await expect(resolveConflict(fixture.deps, 't1', items[0]!.id, { action: 'reject' }, operator)).rejects.toBeInstanceOf(StateConflictError);

    // Both sides agree now: another sync changes nothing and sends nothing.
    expect((await sync()).counts).toMatchObject({ unchanged: 5, conflicts: 0 });
    expect(await writeBacks()).toBe(0);
  });

  it('a provider change between our read and our write (412) is met field by field and written again', async () => {
    await setUp();
    await sync();
    await patchShard(fixture.deps, 't1', shardId, { data: { phone: '+1 555 0142' } }, operator);
    // The provider's record changes after the last sync read it: the precondition fails.
    fixture.fake.updateRecord('customers', 1, { last_name: 'Changed-Remotely' });
    await writeBacks();
    expect(provider()).toMatchObject({ last_name: 'Changed-Remotely', billing: { phone: '+1 555 0142' } });
    expect((await shard()).data).toMatchObject({ lastName: 'Changed-Remotely', phone: '+1 555 0142' });
    expect((await listConflicts(fixture.deps, 't1', {})).items).toEqual([]);
  });

  it('a provider that rejects the data gives a ValidationError conflict with its message, not endless retries', async () => {
    await setUp();
    await sync();
    // Valid to us, refused by WordPress's is_email (ASCII only).
    await patchShard(fixture.deps, 't1', shardId, { data: { email: 'jürgen@example.com' } }, operator);
    await writeBacks();
    const { items } = await listConflicts(fixture.deps, 't1', { type: 'ValidationError' });
    expect(items).toHaveLength(1);
    expect(items[0]!.message).toBeTruthy();
    expect(await writeBacks()).toBe(0);
  });

  it('bad edits and bad resolutions are refused with what and where', async () => {
    await setUp();
    await sync();
    const invalid = await patchShard(fixture.deps, 't1', shardId, { data: { email: 'nope' } }, operator).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidInputError);
    expect((invalid as InvalidInputError).issues).toEqual([expect.objectContaining({ path: 'data.email' })]);
    await expect(patchShard(fixture.deps, 't1', 'shd_missing', { data: {} }, operator)).rejects.toBeInstanceOf(UnknownResourceError);
    await expect(resolveConflict(fixture.deps, 't1', 'conf_missing', { action: 'reject' }, operator)).rejects.toBeInstanceOf(UnknownResourceError);
  });

  it("a run's conflictStrategy settles fields both sides changed without a person", async () => {
    await setUp();
    await sync();
    fixture.fake.updateRecord('customers', 1, { first_name: 'Remote-X' });
    await patchShard(fixture.deps, 't1', shardId, { data: { firstName: 'Local-X' } }, operator);
    const { execution } = await startExecution(fixture.deps, 't1', 'bidi', { conflictStrategy: 'source_wins' });
    await drain(fixture);
    expect((await getExecution(fixture.deps, 't1', execution.id)).counts).toMatchObject({ conflicts: 0, updated: 1 });
    expect((await shard()).data.firstName).toBe('Remote-X');
    await writeBacks();
    expect(provider().first_name).toBe('Remote-X');
    expect((await listConflicts(fixture.deps, 't1', {})).items).toEqual([]);
  });

  it('credentials refused on write-back: an AuthError conflict, and the connection’s running executions pause', async () => {
    await setUp();
    await sync();
    await patchShard(fixture.deps, 't1', shardId, { data: { phone: '+1 555 0166' } }, operator);
    const { execution } = await startExecution(fixture.deps, 't1', 'bidi', {});
    await step(fixture, 'sync-start');
    await saveConnection(fixture.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: fixture.fake.url }, credentials: { consumerKey: 'ck_wrong', consumerSecret: 'cs_wrong' } }, 'shop');
    await writeBacks();
    expect((await listConflicts(fixture.deps, 't1', { type: 'AuthError' })).items).toHaveLength(1);
    expect(await getExecution(fixture.deps, 't1', execution.id)).toMatchObject({
      status: 'paused',
      pauseReason: 'auth',
      pauseDetail: { stage: 'writeback', stream: 'customers', errorClass: 'AuthError', httpStatus: 401, message: expect.stringContaining('failed with 401') },
    });
  });

  it('the custom strategy needs a hook for the stream; with one, the hook settles the field', async () => {
    await setUp();
    const custom = { connectionId: 'shop', direction: 'bidirectional', streams: [{ stream: 'customers', schemaId: 'customers' }], conflictResolution: { strategy: 'custom' } };
    const refused = await saveSyncTask(fixture.deps, 't1', custom, 'bidi').catch((e: unknown) => e);
    expect((refused as InvalidInputError).issues).toEqual([expect.objectContaining({ path: 'streams.0.stream' })]);

    fixture.deps.conflictHooks = new Map([['customers', (conflict) => ({ take: 'value', value: `${String(conflict.local)}+${String(conflict.remote)}` })]]);
    await saveSyncTask(fixture.deps, 't1', custom, 'bidi');
    await sync();
    fixture.fake.updateRecord('customers', 1, { first_name: 'Remote' });
    await patchShard(fixture.deps, 't1', shardId, { data: { firstName: 'Local' } }, operator);
    expect((await sync()).counts).toMatchObject({ conflicts: 0 });
    expect((await shard()).data.firstName).toBe('Local+Remote');
    await writeBacks();
    expect(provider().first_name).toBe('Local+Remote');
  });

  it('a 412 answer and a 429 answer on write-back: met again and retried with back-off, then written', async () => {
    await setUp();
    await sync();
    fixture.fake.setFaults({ writeFaults: [{ kind: 'precondition_failed' }, { kind: 'rate_limit', retryAfterSeconds: 0 }] });
    await patchShard(fixture.deps, 't1', shardId, { data: { phone: '+1 555 0412' } }, operator);
    for (let i = 0; i < 40 && provider().billing.phone !== '+1 555 0412'; i++) {
      await writeBacks();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(provider().billing.phone).toBe('+1 555 0412');
    expect((await listConflicts(fixture.deps, 't1', {})).items).toEqual([]);
    expect((await sync()).counts).toMatchObject({ unchanged: 5 });
  });
});
