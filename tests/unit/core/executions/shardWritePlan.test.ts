import { describe, expect, it } from 'vitest';
import { completePendingLink, planRecordWrite, recordHash, type IncomingRecord, type ReadShard, type RecordTarget } from '../../../../shared/core/executions/shardWritePlan.js';
import { ids } from '../../../../shared/core/ids.js';

const NOW = '2026-11-23T10:00:00.000Z';
const primaryId = ids.shardFor('shop', 'customers', '7');
const profileId = ids.derivedShard(primaryId, 'company_profile');
const customerOf = ids.shardFor('shop', 'customers', '3');

function incoming(company: string | undefined, parents: IncomingRecord['parents'] = []): IncomingRecord {
  const converted = {
    shardType: 'customer',
    data: { email: 'a@example.com', company: company ?? null },
    derived: company ? [{ shardType: 'company_profile', key: company, data: { name: company } }] : [],
    parents,
  };
  return { connectionId: 'shop', stream: 'customers', externalId: '7', ...converted, hash: recordHash(converted) };
}

const target = (overrides: Partial<RecordTarget> = {}): RecordTarget => ({ tenantId: 't1', shardId: primaryId, derived: new Map(), presentParents: new Set(), ...overrides });

/** The stored state after applying a plan's writes to an empty store. */
function stored(plan: ReturnType<typeof planRecordWrite>): Map<string, ReadShard> {
  return new Map(plan.writes.flatMap((write) => (write.kind === 'delete' ? [] : [[write.shard.id, { shard: write.shard, etag: `etag-${write.shard.id}` }] as const])));
}

describe('planning a record write', () => {
  it('a new record creates its primary and derived shards, linked both ways, in one plan', () => {
    const plan = planRecordWrite(incoming('Acme'), target(), 'b1', NOW);
    expect(plan.outcome).toBe('created');
    expect(plan.writes.map((w) => w.kind)).toEqual(['create', 'create']);
    const [primary, derived] = plan.writes as Array<{ kind: 'create'; shard: { id: string; links: unknown[]; derivedKey?: string } }>;
    expect(primary!.shard.links).toEqual([{ rel: 'derived', shardId: profileId, shardType: 'company_profile' }]);
    expect(derived!.shard).toMatchObject({ id: profileId, derivedKey: 'Acme', links: [{ rel: 'derived_from', shardId: primaryId }] });
  });

  it('an unchanged record writes nothing at all', () => {
    const first = stored(planRecordWrite(incoming('Acme'), target(), 'b1', NOW));
    const plan = planRecordWrite(incoming('Acme'), target({ existing: first.get(primaryId)!, derived: new Map([[profileId, first.get(profileId)!]]) }), 'b2', NOW);
    expect(plan).toEqual({ outcome: 'unchanged', writes: [], pending: [] });
  });

  it('a changed derived value replaces the derived shard in place, conditionally on its ETag', () => {
    const first = stored(planRecordWrite(incoming('Acme'), target(), 'b1', NOW));
    const plan = planRecordWrite(incoming('Acme Corp'), target({ existing: first.get(primaryId)!, derived: new Map([[profileId, first.get(profileId)!]]) }), 'b2', NOW);
    expect(plan.outcome).toBe('updated');
    expect(plan.writes[1]).toMatchObject({ kind: 'replace', ifMatch: `etag-${profileId}`, shard: { id: profileId, version: 2, derivedKey: 'Acme Corp', data: { name: 'Acme Corp' } } });
  });

  it('a derived shard whose condition no longer holds is deleted and unlinked', () => {
    const first = stored(planRecordWrite(incoming('Acme'), target(), 'b1', NOW));
    const plan = planRecordWrite(incoming(undefined), target({ existing: first.get(primaryId)!, derived: new Map([[profileId, first.get(profileId)!]]) }), 'b2', NOW);
    expect(plan.writes.map((w) => w.kind)).toEqual(['replace', 'delete']);
    expect(plan.writes[1]).toEqual({ kind: 'delete', shardId: profileId, ifMatch: `etag-${profileId}` });
    expect((plan.writes[0] as { shard: { links: unknown[] } }).shard.links).toEqual([]);
  });

  it('a parent that is not stored yet gives a pending link; a stored one a complete link', () => {
    const parents = [{ rel: 'customer', stream: 'customers', externalId: '3' }, { rel: 'product', stream: 'products', externalId: '9' }];
    const productOf = ids.shardFor('shop', 'products', '9');
    const plan = planRecordWrite(incoming(undefined, parents), target({ presentParents: new Set([productOf]) }), 'b1', NOW);
    expect((plan.writes[0] as { shard: { links: unknown[] } }).shard.links).toEqual([
      { rel: 'customer', shardId: customerOf, stream: 'customers', externalId: '3', status: 'pending' },
      { rel: 'product', shardId: productOf, stream: 'products', externalId: '9' },
    ]);
    expect(plan.pending.map((link) => link.shardId)).toEqual([customerOf]);
  });

  it('links the conversion does not own survive an update', () => {
    const first = stored(planRecordWrite(incoming(undefined), target(), 'b1', NOW)).get(primaryId)!;
    const withMerge = { ...first, shard: { ...first.shard, links: [{ rel: 'merged_from', shardId: 'shd_other' }] } };
    const plan = planRecordWrite(incoming('Acme'), target({ existing: withMerge }), 'b2', NOW);
    expect((plan.writes[0] as { shard: { links: Array<{ rel: string }> } }).shard.links.map((l) => l.rel)).toEqual(['merged_from', 'derived']);
  });

  it('completing a pending link clears its status only; a shard with nothing pending is left alone', () => {
    const parents = [{ rel: 'customer', stream: 'customers', externalId: '3' }];
    const shard = (planRecordWrite(incoming(undefined, parents), target(), 'b1', NOW).writes[0] as { shard: Parameters<typeof completePendingLink>[0] }).shard;
    const completed = completePendingLink(shard, customerOf, NOW)!;
    expect(completed.links).toEqual([{ rel: 'customer', shardId: customerOf, stream: 'customers', externalId: '3' }]);
    expect(completed.version).toBe(2);
    expect(completePendingLink(completed, customerOf, NOW)).toBeUndefined();
  });
});

describe('a record joining another record’s shard', () => {
  const crmRecord = (email: string, title = 'CTO'): IncomingRecord => {
    const converted = { shardType: 'customer', data: { email, company: null, title }, derived: [], parents: [{ rel: 'account', stream: 'accounts', externalId: 'A1' }] };
    return { connectionId: 'crm', stream: 'contacts', externalId: '9', ...converted, hash: recordHash(converted) };
  };
  const match = { score: 0.92, matched: [{ field: 'email', kind: 'exact' as const, similarity: 1 }] };
  const survivor = () => stored(planRecordWrite(incoming('Acme'), target(), 'b1', NOW)).get(primaryId)!;
  const replaced = (plan: ReturnType<typeof planRecordWrite>) => (plan.writes[0] as { kind: 'replace'; shard: import('../../../../shared/core/schemas/shard.js').Shard }).shard;

  it('merges into the survivor: both records contribute, both external relationships stay, and the merge says why', () => {
    const plan = planRecordWrite(crmRecord('ann@newjob.com'), target({ existing: survivor(), match }), 'b2', NOW);
    expect(plan.outcome).toBe('merged');
    expect(plan.writes).toHaveLength(1);
    const shard = replaced(plan);
    expect(shard.id).toBe(primaryId);
    expect(shard.data).toEqual({ email: 'ann@newjob.com', company: 'Acme', title: 'CTO' });
    expect(shard.externalRelationships.map((r) => `${r.connectionId}/${r.externalId}`)).toEqual(['shop/7', 'crm/9']);
    expect(shard.merges).toEqual([{ source: 'crm/contacts/9', shardId: ids.shardFor('crm', 'contacts', '9'), score: 0.92, matched: match.matched, mergedAt: NOW, batchKey: 'b2' }]);
    expect(shard.links).toContainEqual(expect.objectContaining({ rel: 'account', source: 'crm/contacts/9', status: 'pending' }));
    expect(shard.links).toContainEqual(expect.objectContaining({ rel: 'derived', shardId: profileId }));
  });

  it('a merged record seen again unchanged writes nothing; its merging batch redelivered counts it merged again', () => {
    const merged = { shard: replaced(planRecordWrite(crmRecord('ann@newjob.com'), target({ existing: survivor(), match }), 'b2', NOW)), etag: 'e2' };
    expect(planRecordWrite(crmRecord('ann@newjob.com'), target({ existing: merged }), 'b3', NOW)).toEqual({ outcome: 'unchanged', writes: [], pending: [] });
    expect(planRecordWrite(crmRecord('ann@newjob.com'), target({ existing: merged }), 'b2', NOW).outcome).toBe('merged');
  });

  it('a merged record that changed updates its contribution; the survivor’s own change keeps the merged data', () => {
    const merged = { shard: replaced(planRecordWrite(crmRecord('ann@newjob.com'), target({ existing: survivor(), match }), 'b2', NOW)), etag: 'e2' };
    const changed = planRecordWrite(crmRecord('ann@newjob.com', 'CEO'), target({ existing: merged }), 'b3', NOW);
    expect(changed.outcome).toBe('updated');
    expect(replaced(changed).data).toMatchObject({ title: 'CEO', company: 'Acme' });
    const own = planRecordWrite(incoming('Acme Corp'), target({ existing: { shard: replaced(changed), etag: 'e3' } }), 'b4', NOW);
    expect(replaced(own).data).toMatchObject({ title: 'CEO', company: 'Acme Corp' });
    expect(replaced(own).links).toContainEqual(expect.objectContaining({ rel: 'account', source: 'crm/contacts/9' }));
  });
});

describe('undoing a merge', () => {
  it('gives the merged record its own shard back with what it brought, and the survivor its own data', async () => {
    const { planUnmerge } = await import('../../../../shared/core/dedupe/unmergePlan.js');
    const converted = { shardType: 'customer', data: { email: 'ann@newjob.com', company: null, title: 'CTO' }, derived: [], parents: [{ rel: 'account', stream: 'accounts', externalId: 'A1' }] };
    const crm: IncomingRecord = { connectionId: 'crm', stream: 'contacts', externalId: '9', ...converted, hash: recordHash(converted) };
    const first = stored(planRecordWrite(incoming('Acme'), target(), 'b1', NOW)).get(primaryId)!;
    const merged = (planRecordWrite(crm, target({ existing: first, match: { score: 0.9, matched: [] } }), 'b2', NOW).writes[0] as { shard: import('../../../../shared/core/schemas/shard.js').Shard }).shard;

    const plan = planUnmerge(merged, 'crm/contacts/9', 'merge_fields', NOW);
    if (plan.kind !== 'unmerge') throw new Error('expected an unmerge');
    expect(plan.survivor.data).toEqual(first.shard.data);
    expect(plan.survivor.hash).toBe(first.shard.hash);
    expect(plan.survivor).not.toHaveProperty('contributions');
    expect(plan.survivor.externalRelationships.map((r) => r.connectionId)).toEqual(['shop']);
    expect(plan.survivor.links.some((link) => link.rel === 'account')).toBe(false);
    expect(plan.restored).toMatchObject({ id: ids.shardFor('crm', 'contacts', '9'), data: converted.data, hash: crm.hash, links: [{ rel: 'account', stream: 'accounts', externalId: 'A1', status: 'pending' }] });
    expect(planUnmerge(plan.survivor, 'crm/contacts/9', 'merge_fields', NOW)).toEqual({ kind: 'not_merged' });
  });
});
