import { afterEach, describe, expect, it } from 'vitest';
import { defaultDedupeRules } from '../../../../shared/core/dedupe/defaultDedupeRules.js';
import { ids } from '../../../../shared/core/ids.js';
import { dedupeRolloutMessage } from '../../../../shared/core/schemas/messages.js';
import type { Shard } from '../../../../shared/core/schemas/shard.js';
import { getDedupeRules, saveDedupeRules } from '../../../../shared/sync/entityResolution/dedupeRuleSets.js';
import { ROLLOUT_PAGE_SIZE, rollOutDedupePage } from '../../../../shared/sync/entityResolution/dedupeRollout.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

/** More customers than one rollout page holds, so the rollout goes on from page to page. */
const CUSTOMERS = ROLLOUT_PAGE_SIZE + 30;

describe('rolling out saved rules to the shards already stored', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  const sync = async () => {
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    return getExecution(fixture.deps, 't1', execution.id);
  };
  const customers = async () =>
    (await fixture.deps.store.query<Shard>('shards', 't1', { filters: [{ path: 'shardType', op: '=', value: 'customer' }] }, { maxItems: 1000 })).items;
  /** Delivers the rollout's messages as the host would, each `times` times; returns how many pages there were. */
  const rollOut = async (times = 1) => {
    let pages = 0;
    for (let messages = await fixture.bus.receive('dedupe-rollout', 10); messages.length > 0; messages = await fixture.bus.receive('dedupe-rollout', 10)) {
      for (const message of messages) {
        for (let delivery = 0; delivery < times; delivery++) await rollOutDedupePage(fixture.deps, dedupeRolloutMessage.parse(message.body));
        await fixture.bus.complete('dedupe-rollout', message.lockToken);
        pages++;
      }
    }
    return pages;
  };
  /** The customers synced while the tenant had no rules, then the default rules saved: the rollout's first page is received. */
  const storedThenRulesSaved = async () => {
    fixture = await syncFixture(CUSTOMERS);
    expect((await sync()).counts).toMatchObject({ created: CUSTOMERS });
    await saveDedupeRules(fixture.deps, 't1', defaultDedupeRules.customer, 'customer');
    const [first] = await fixture.bus.receive('dedupe-rollout', 1);
    return first!;
  };
  /** Customer 2 becomes customer 1 again, as a second sign-up with the e-mail in capitals. */
  const makeDuplicate = () => {
    const original = fixture.fake.getRecord('customers', 1) as { email: string; first_name: string; last_name: string; billing: Record<string, string> };
    fixture.fake.updateRecord('customers', 2, { email: original.email.toUpperCase(), first_name: original.first_name, last_name: original.last_name, billing: original.billing });
  };

  it('merges the duplicates stored before the rules existed without waiting for a sync, page by page', async () => {
    fixture = await syncFixture(CUSTOMERS);
    makeDuplicate();
    expect((await sync()).counts).toMatchObject({ created: CUSTOMERS });

    await saveDedupeRules(fixture.deps, 't1', defaultDedupeRules.customer, 'customer');
    // Every message counted twice, as a redelivery would: the counts come out once.
    expect(await rollOut(2)).toBe(2);
    expect(await customers()).toHaveLength(CUSTOMERS - 1);
    const survivor = [ids.shardFor('shop', 'customers', '1'), ids.shardFor('shop', 'customers', '2')];
    const merged = (await customers()).find((shard) => survivor.includes(shard.id))!;
    expect(merged.externalRelationships.map((r) => r.externalId).sort()).toEqual(['1', '2']);
    expect((await getDedupeRules(fixture.deps, 't1', 'customer')).rollout).toMatchObject({
      version: 1,
      pages: 2,
      resolved: CUSTOMERS,
      merged: 1,
      finishedAt: expect.any(String),
    });

    // Everything is resolved with this version: a sync writes nothing, saving the same rules again resolves nothing.
    expect((await sync()).counts).toMatchObject({ unchanged: CUSTOMERS, merged: 0, updated: 0, created: 0 });
    await saveDedupeRules(fixture.deps, 't1', defaultDedupeRules.customer, 'customer');
    expect(await rollOut()).toBe(0);
  });

  it('saving the same rules again picks up a rollout that broke off, and leaves a finished one alone', async () => {
    const first = await storedThenRulesSaved();
    await rollOutDedupePage(fixture.deps, dedupeRolloutMessage.parse(first.body));
    await fixture.bus.complete('dedupe-rollout', first.lockToken);
    // The second page is lost (dead-lettered, say): the rollout stops half way.
    const [second] = await fixture.bus.receive('dedupe-rollout', 1);
    await fixture.bus.complete('dedupe-rollout', second!.lockToken);
    expect((await getDedupeRules(fixture.deps, 't1', 'customer')).rollout).toMatchObject({ pages: 1, resolved: ROLLOUT_PAGE_SIZE });
    expect((await getDedupeRules(fixture.deps, 't1', 'customer')).rollout?.finishedAt).toBeUndefined();

    // Saving at once changes nothing: the rollout counts as under way for a few minutes.
    await saveDedupeRules(fixture.deps, 't1', defaultDedupeRules.customer, 'customer');
    expect(await rollOut()).toBe(0);
    const later = { ...fixture.deps, clock: { now: () => new Date(Date.now() + 6 * 60_000) } };
    await saveDedupeRules(later, 't1', defaultDedupeRules.customer, 'customer');
    expect(await rollOut()).toBe(2);
    // Page 1 again: its shards are resolved already and it was counted already.
    expect((await getDedupeRules(fixture.deps, 't1', 'customer')).rollout).toMatchObject({ pages: 2, resolved: CUSTOMERS, finishedAt: expect.any(String) });
    await saveDedupeRules(fixture.deps, 't1', defaultDedupeRules.customer, 'customer');
    expect(await rollOut()).toBe(0);
  });

  it('a newer version of the rules takes over: the older rollout stops where it is', async () => {
    const first = await storedThenRulesSaved();
    await fixture.bus.complete('dedupe-rollout', first.lockToken);
    await saveDedupeRules(fixture.deps, 't1', { ...defaultDedupeRules.customer, threshold: 0.7 }, 'customer');

    // Version 1's first page arrives late: nothing happens.
    await rollOutDedupePage(fixture.deps, dedupeRolloutMessage.parse(first.body));
    expect((await getDedupeRules(fixture.deps, 't1', 'customer')).rollout).toBeUndefined();
    expect(await rollOut()).toBe(2);
    expect((await getDedupeRules(fixture.deps, 't1', 'customer')).rollout).toMatchObject({ version: 2, resolved: CUSTOMERS, merged: 0, finishedAt: expect.any(String) });
    const shards = await customers();
    expect(shards).toHaveLength(CUSTOMERS);
    expect(shards.every((shard) => shard.resolvedWith === 2)).toBe(true);
  });
});
