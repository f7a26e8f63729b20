import { afterEach, describe, expect, it } from 'vitest';
import { deleteConversionSchema, getConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { StateConflictError } from '../../../../shared/sync/stateConflictError.js';
import { UnknownResourceError } from '../../../../shared/sync/unknownResourceError.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { DEMO_SCHEMAS } from '../../../../dev/demoSetup.js';
import { syncFixture, type SyncFixture } from '../syncFixture.js';

describe('deleting a conversion schema', () => {
  let fixture: SyncFixture;
  afterEach(() => fixture?.close());

  it('a schema a task uses cannot be deleted; an unused one can, once', async () => {
    fixture = await syncFixture(1);
    const refused = await deleteConversionSchema(fixture.deps, 't1', 'customers').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StateConflictError);
    expect((refused as StateConflictError).currentState).toEqual({ tasks: expect.arrayContaining(['task', 'task-b']) });
    expect(await getConversionSchema(fixture.deps, 't1', 'customers')).toMatchObject({ id: 'customers' });

    await saveConversionSchema(fixture.deps, 't1', DEMO_SCHEMAS.products, 'unused');
    await deleteConversionSchema(fixture.deps, 't1', 'unused');
    await expect(getConversionSchema(fixture.deps, 't1', 'unused')).rejects.toBeInstanceOf(UnknownResourceError);
    await expect(deleteConversionSchema(fixture.deps, 't1', 'unused')).rejects.toBeInstanceOf(UnknownResourceError);
  });
});
