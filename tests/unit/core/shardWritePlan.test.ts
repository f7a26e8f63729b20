import { describe, expect, it } from 'vitest';
import { completePendingLink, planRecordWrite, recordHash, type IncomingRecord, type ReadShard, type RecordTarget } from '../../../shared/core/shardWritePlan.js';
import { ids } from '../../../shared/core/ids.js';

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
