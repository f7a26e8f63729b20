import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { patchShard } from '../../../../shared/sync/bidirectional/localEdits.js';
import { listConflicts } from '../../../../shared/sync/queries/conflictQueries.js';
import { resolveConflict } from '../../../../shared/sync/bidirectional/resolveConflict.js';
import { listFailures } from '../../../../shared/sync/queries/failureQueries.js';
import { getShard, listShards } from '../../../../shared/sync/queries/shardQueries.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { MAX_JSON_DEPTH } from '../../../../shared/core/jsonDepth.js';
import { ids } from '../../../../shared/core/ids.js';
import { InvalidInputError } from '../../../../shared/sync/invalidInputError.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

const operator = { type: 'operator' as const, id: 'ops@example.com' };

/** `levels` objects, one inside the other: `{a: {a: … 'leaf'}}`. */
function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('input nested too deep is refused, never stored', () => {
  let fixture: SyncFixture;
  afterEach(() => fixture?.close());

  const customerId = ids.shardFor('shop', 'customers', '1');

  async function synced(task = 'task'): Promise<string> {
    const { execution } = await startExecution(fixture.deps, 't1', task, {});
    await drain(fixture);
    return execution.id;
  }

  /** What the use case threw, which must be a 422. */
  const refused = async (attempt: Promise<unknown>): Promise<InvalidInputError> => {
    const error: unknown = await attempt.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  };

  it('a shard PATCH nested 1,000, 3,000 and 5,000 levels deep: 422 naming where, the shard unchanged, the shard list still answers', async () => {
    fixture = await syncFixture(3);
    await synced();
    const before = await getShard(fixture.deps, 't1', customerId);
    for (const levels of [1_000, 3_000, 5_000]) {
      const error = await refused(patchShard(fixture.deps, 't1', customerId, { data: { firstName: nested(levels) } }, operator));
      expect(error.issues).toEqual([{ path: ['data', 'firstName', ...Array<string>(MAX_JSON_DEPTH - 2).fill('a')].join('.'), message: `nested deeper than ${MAX_JSON_DEPTH} levels` }]);
    }
    expect(await getShard(fixture.deps, 't1', customerId)).toEqual(before);
    const list = await listShards(fixture.deps, 't1', { type: 'customer' });
    expect(list.items).toHaveLength(3);
  });

  it('a conflict `custom` value nested 2,000 deep: 422, for an unknown conflict and for an open one, which stays open', async () => {
    fixture = await syncFixture(3);
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop', direction: 'bidirectional', streams: [{ stream: 'customers', schemaId: 'customers' }] }, 'bidi');
    await synced('bidi');
    // Both sides change the first name: a conflict for a person.
    fixture.fake.updateRecord('customers', 1, { first_name: 'Remote' });
    await patchShard(fixture.deps, 't1', customerId, { data: { firstName: 'Local' } }, operator);
    await synced('bidi');
    const [conflict, ...others] = (await listConflicts(fixture.deps, 't1', { status: 'open' })).items;
    expect(conflict).toBeDefined();
    expect(others).toEqual([]);
    const before = await getShard(fixture.deps, 't1', customerId);

    const deep = { action: 'custom', value: nested(2_000) };
    await refused(resolveConflict(fixture.deps, 't1', 'cfl_missing', deep, operator));
    const error = await refused(resolveConflict(fixture.deps, 't1', conflict!.id, deep, operator));
    expect(error.issues[0]!.path).toMatch(/^value\.a\.a/);

    expect((await listConflicts(fixture.deps, 't1', { status: 'open' })).items.map((c) => c.id)).toEqual([conflict!.id]);
    expect(await getShard(fixture.deps, 't1', customerId)).toEqual(before);
    expect((await listShards(fixture.deps, 't1', { type: 'customer' })).items).toHaveLength(3);
  });

  it('an inbound record nested deeper than the limit is a ValidationError failure naming it; the batch goes on', async () => {
    fixture = await syncFixture(5);
    fixture.fake.updateRecord('customers', 2, { meta_data: [{ key: 'deep', value: nested(200) }] });
    const executionId = await synced();

    const view = await getExecution(fixture.deps, 't1', executionId);
    expect(view).toMatchObject({ status: 'partial', counts: { fetched: 5, created: 4, failed: 1 } });
    const failures = (await listFailures(fixture.deps, 't1', { executionId })).items;
    expect(failures).toEqual([
      expect.objectContaining({
        stage: 'transform',
        errorClass: 'ValidationError',
        payloadRef: expect.objectContaining({ externalId: '2' }),
        message: expect.stringContaining(`the record is nested deeper than ${MAX_JSON_DEPTH} levels`),
      }),
    ]);
    expect(failures[0]!.details![0]!.path).toMatch(/^meta_data\[0\]\.value\.a\.a/);
    expect((await listShards(fixture.deps, 't1', { type: 'customer' })).items.map((shard) => shard.data['externalId']).sort()).toEqual([1, 3, 4, 5]);
  });

  it('a record within the limit whose converted data would nest deeper fails too, naming the target', async () => {
    fixture = await syncFixture(3);
    await saveConversionSchema(
      fixture.deps,
      't1',
      { shardType: 'copy', fields: [{ from: 'id', to: 'externalId' }, { from: 'meta_data', to: 'extra.deep.meta' }] },
      'deep-copy',
    );
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'deep-copy' }] }, 'copy-task');
    // The record is exactly as deep as allowed; its copy, three targets down, is not.
    fixture.fake.updateRecord('customers', 3, { meta_data: nested(MAX_JSON_DEPTH - 1) as object });
    const executionId = await synced('copy-task');

    expect(await getExecution(fixture.deps, 't1', executionId)).toMatchObject({ status: 'partial', counts: { created: 2, failed: 1 } });
    const [failure] = (await listFailures(fixture.deps, 't1', { executionId })).items;
    expect(failure).toMatchObject({ errorClass: 'ValidationError', payloadRef: expect.objectContaining({ externalId: '3' }) });
    expect(failure!.message).toContain(`the copy data is nested deeper than ${MAX_JSON_DEPTH} levels`);
    expect(failure!.details![0]!.path).toMatch(/^extra\.deep\.meta\.a/);
  });
});
