import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { ids } from '../../../../shared/core/ids.js';
import type { Shard } from '../../../../shared/core/schemas/shard.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

describe('derived shards', () => {
  let fixture: SyncFixture;
  afterEach(() => fixture?.close());

  const sync = async () => {
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    const view = await getExecution(fixture.deps, 't1', execution.id);
    expect(view.status).toBe('success');
    return view;
  };
  const shard = (id: string) => fixture.deps.store.read<Shard>('shards', 't1', id);
  const profiles = async () =>
    (await fixture.deps.store.query<Shard>('shards', 't1', { filters: [{ path: 'shardType', op: '=', value: 'company_profile' }] }, { maxItems: 1000 })).items;
  /** Customer ids of the fake store with and without a billing company. */
  const customersBy = (withCompany: boolean) =>
    Array.from({ length: 60 }, (_, i) => i + 1).filter((id) => Boolean((fixture.fake.getRecord('customers', id)!.billing as { company: string }).company) === withCompany);

  it('a customer with a company gets a company_profile shard, linked both ways; one without gets none', async () => {
    fixture = await syncFixture(60);
    await sync();
    const withCompany = customersBy(true);
    expect(withCompany.length).toBeGreaterThan(3);
    expect(await profiles()).toHaveLength(withCompany.length);

    const customerId = ids.shardFor('shop', 'customers', String(withCompany[0]));
    const customer = await shard(customerId);
    const profileId = ids.derivedShard(customerId, 'company_profile');
    expect(customer!.links).toEqual([{ rel: 'derived', shardId: profileId, shardType: 'company_profile' }]);
    const profile = await shard(profileId);
    const company = (fixture.fake.getRecord('customers', withCompany[0]!)!.billing as { company: string }).company;
    expect(profile).toMatchObject({ shardType: 'company_profile', derivedKey: company, links: [{ rel: 'derived_from', shardId: customerId }] });
    expect(profile!.data).toMatchObject({ name: company, contactExternalId: withCompany[0] });

    const plain = await shard(ids.shardFor('shop', 'customers', String(customersBy(false)[0])));
    expect(plain!.links).toEqual([]);
  });

  it('re-running after the source changed updates a derived shard in place and removes one whose condition no longer holds', async () => {
    fixture = await syncFixture(60);
    await sync();
    const [renamed, dropped] = customersBy(true);
    const [gained] = customersBy(false);
    fixture.fake.updateRecord('customers', renamed!, { billing: { company: 'Renamed Holdings' } });
    fixture.fake.updateRecord('customers', dropped!, { billing: { company: '' } });
    fixture.fake.updateRecord('customers', gained!, { billing: { company: 'Newco' } });
    const before = (await profiles()).length;

    const second = await sync();
    expect(second.counts).toMatchObject({ updated: 3, unchanged: 57, created: 0 });

    const renamedId = ids.shardFor('shop', 'customers', String(renamed));
    const profile = await shard(ids.derivedShard(renamedId, 'company_profile'));
    expect(profile).toMatchObject({ version: 2, derivedKey: 'Renamed Holdings', data: { name: 'Renamed Holdings' } });

    const droppedId = ids.shardFor('shop', 'customers', String(dropped));
    expect(await shard(ids.derivedShard(droppedId, 'company_profile'))).toBeUndefined();
    expect((await shard(droppedId))!.links).toEqual([]);

    const gainedId = ids.shardFor('shop', 'customers', String(gained));
    expect(await shard(ids.derivedShard(gainedId, 'company_profile'))).toMatchObject({ derivedKey: 'Newco' });
    expect((await profiles()).length).toBe(before);

    // A third run with nothing changed rewrites nothing, derived shards included.
    const third = await sync();
    expect(third.counts).toMatchObject({ unchanged: 60, updated: 0, created: 0 });
    expect(await shard(ids.derivedShard(renamedId, 'company_profile'))).toMatchObject({ version: 2 });
  });
});
