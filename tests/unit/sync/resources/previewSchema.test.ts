import { afterEach, describe, expect, it } from 'vitest';
import { previewSchema } from '../../../../shared/sync/resources/previewSchema.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { syncFixture, type SyncFixture } from '../syncFixture.js';

describe('schema preview', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  it('shows each sample record as shards or errors and writes nothing', async () => {
    fixture = await syncFixture(2);
    const preview = await previewSchema(fixture.deps, 't1', 'customers', {
      records: [fixture.fake.getRecord('customers', 1)!, { ...fixture.fake.getRecord('customers', 2)!, email: '' }],
    });
    expect(preview.results[0]).toMatchObject({ index: 0, ok: true, primary: { shardType: 'customer', data: { email: fixture.fake.getRecord('customers', 1)!.email } } });
    expect(preview.results[1]).toMatchObject({ index: 1, ok: false, issues: [expect.objectContaining({ targetPath: 'email', rule: 'required' })] });
    expect((await fixture.deps.store.query('shards', 't1')).items).toHaveLength(0);
  });

  it('an invalid schema is refused at creation with every problem and its path', async () => {
    fixture = await syncFixture(1);
    const refusal = saveConversionSchema(fixture.deps, 't1', {
      shardType: 'customer',
      fields: [
        { from: 'email', to: 'email', transforms: [{ op: 'regex', pattern: '(' }] },
        { from: 'd', to: 'when', transforms: [{ op: 'date', formats: ['iso'], timeZone: 'Mars/Olympus' }] },
        { from: 'x', to: 'email' },
      ],
    });
    await expect(refusal).rejects.toMatchObject({ status: 422 });
    const paths = ((await refusal.catch((error: { issues: Array<{ path: string }> }) => error)) as { issues: Array<{ path: string }> }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['fields.0.transforms.0.pattern', 'fields.1.transforms.0.timeZone', 'fields.2.to']));
  });

  it('bad preview bodies and unknown schemas are 4xx', async () => {
    fixture = await syncFixture(1);
    await expect(previewSchema(fixture.deps, 't1', 'customers', { records: [] })).rejects.toMatchObject({ status: 422 });
    await expect(previewSchema(fixture.deps, 't1', 'nope', { records: [{}] })).rejects.toMatchObject({ status: 404 });
  });
});
