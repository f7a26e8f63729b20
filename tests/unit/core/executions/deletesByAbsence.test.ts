import { describe, expect, it } from 'vitest';
import { planDeletesByAbsence, type AbsenceScope } from '../../../../shared/core/executions/deletesByAbsence.js';
import type { ExternalRelationship, Shard } from '../../../../shared/core/schemas/shard.js';
import { ids } from '../../../../shared/core/ids.js';

const now = '2026-12-07T03:00:00.000Z';
const scope: AbsenceScope = { connectionId: 'shop', stream: 'customers', executionId: 'exe_2', now };
const mergeFields = () => 'merge_fields' as const;

const relationship = (externalId: string, connectionId = 'shop'): ExternalRelationship => ({
  connectionId,
  stream: 'customers',
  externalId,
  syncStatus: 'synced',
  lastSyncedAt: now,
  hash: `h${externalId}`,
});

function plain(externalId: string): Shard {
  return {
    id: ids.shardFor('shop', 'customers', externalId),
    tenantId: 't1',
    shardType: 'customer',
    data: { email: `${externalId}@example.com` },
    externalRelationships: [relationship(externalId)],
    links: [],
    version: 1,
    hash: `h${externalId}`,
    createdByBatch: 'b',
    updatedByBatch: 'b',
    createdAt: now,
    updatedAt: now,
  };
}

/** Record 1's shard with record 2 (of another connection) merged into it. */
function merged(): Shard {
  const own = plain('1');
  return {
    ...own,
    data: { email: '1@example.com', phone: '555' },
    externalRelationships: [relationship('1'), relationship('2', 'crm')],
    links: [{ rel: 'customer', shardId: 'shd_parent', stream: 'customers', externalId: '9', source: 'crm/customers/2' }],
    contributions: [
      { source: 'shop/customers/1', data: { email: '1@example.com' }, modifiedAt: now, joinedAt: '2026-01-01T00:00:00.000Z', updatedByBatch: 'b' },
      { source: 'crm/customers/2', data: { email: '1@example.com', phone: '555' }, modifiedAt: now, joinedAt: '2026-02-01T00:00:00.000Z', updatedByBatch: 'b' },
    ],
    merges: [{ source: 'crm/customers/2', shardId: ids.shardFor('crm', 'customers', '2'), score: 1, matched: [], mergedAt: now, batchKey: 'b' }],
    hash: 'hmerged',
  };
}

/** The shard with a company profile derived from it (see companyProfile). */
function withProfile(shard: Shard): Shard {
  return { ...shard, links: [...shard.links, { rel: 'derived', shardId: ids.derivedShard(shard.id, 'company_profile'), shardType: 'company_profile' }] };
}

function companyProfile(primaryId: string): Shard {
  return {
    id: ids.derivedShard(primaryId, 'company_profile'),
    tenantId: 't1',
    shardType: 'company_profile',
    data: { name: 'Acme' },
    derivedKey: 'Acme',
    externalRelationships: [],
    links: [{ rel: 'derived_from', shardId: primaryId }],
    version: 1,
    hash: 'hprofile',
    createdByBatch: 'b',
    updatedByBatch: 'b',
    createdAt: now,
    updatedAt: now,
  };
}

describe('planDeletesByAbsence', () => {
  it('tombstones a shard whose only record the read did not see, keeping its data for a return', () => {
    const plan = planDeletesByAbsence([{ shard: plain('1'), etag: 'e1' }, { shard: plain('2'), etag: 'e2' }], new Set(['2']), scope, mergeFields);
    expect(plan.deleted).toBe(1);
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]).toMatchObject({ ifMatch: 'e1', shard: { id: plain('1').id, deletedAt: now, deletedBy: 'exe_2', version: 2, data: plain('1').data } });
  });

  it('counts the tombstones this run already wrote without rewriting them, and leaves older ones alone', () => {
    const mine = { ...plain('1'), deletedAt: now, deletedBy: 'exe_2' };
    const older = { ...plain('2'), deletedAt: now, deletedBy: 'exe_1' };
    const plan = planDeletesByAbsence([{ shard: mine, etag: 'e1' }, { shard: older, etag: 'e2' }], new Set(), scope, mergeFields);
    expect(plan).toEqual({ deleted: 1, writes: [], derivedIds: [] });
  });

  it('does not count again a record this run read flagged deleted (archived): its batch counted it', () => {
    const archived = { ...plain('3'), deletedAt: now, deletedBy: 'exe_2' };
    const plan = planDeletesByAbsence([{ shard: archived, etag: 'e3' }], new Set(['3']), scope, mergeFields);
    expect(plan).toEqual({ deleted: 0, writes: [], derivedIds: [] });
  });

  it("tombstones a tombstoned customer's company profile with the same marks, not counting it; a redelivery plans only what is left", () => {
    const customer = withProfile(plain('1'));
    const profile = companyProfile(customer.id);
    expect(customer.links).toEqual([{ rel: 'derived', shardId: profile.id, shardType: 'company_profile' }]);

    const first = planDeletesByAbsence([{ shard: customer, etag: 'e1' }], new Set(), scope, mergeFields);
    expect(first).toMatchObject({ deleted: 1, derivedIds: [profile.id] });
    expect(first.writes.map((w) => w.shard.id)).toEqual([customer.id]);

    const plan = planDeletesByAbsence([{ shard: customer, etag: 'e1' }], new Set(), scope, mergeFields, new Map([[profile.id, { shard: profile, etag: 'ep' }]]));
    expect(plan.deleted).toBe(1);
    expect(plan.writes).toHaveLength(2);
    expect(plan.writes[1]).toMatchObject({ ifMatch: 'ep', shard: { id: profile.id, deletedAt: now, deletedBy: 'exe_2', version: 2, data: profile.data } });

    // The customer was written, its profile was not (the delivery failed in between): the next one plans the profile alone.
    const tombstoned = { ...customer, deletedAt: now, deletedBy: 'exe_2' };
    const again = planDeletesByAbsence([{ shard: tombstoned, etag: 'e1b' }], new Set(), scope, mergeFields, new Map([[profile.id, { shard: profile, etag: 'ep' }]]));
    expect(again.deleted).toBe(1);
    expect(again.writes.map((w) => w.shard.id)).toEqual([profile.id]);
    const done = planDeletesByAbsence([{ shard: tombstoned, etag: 'e1b' }], new Set(), scope, mergeFields, new Map([[profile.id, { shard: again.writes[0]!.shard, etag: 'ep2' }]]));
    expect(done).toEqual({ deleted: 1, writes: [], derivedIds: [profile.id] });
  });

  it('a merged shard that only loses one contribution keeps its derived shards', () => {
    const shard = withProfile(merged());
    const profile = companyProfile(shard.id);
    expect(shard.externalRelationships.map((r) => r.connectionId)).toEqual(['shop', 'crm']);
    // Either record gone (its own, the merged-in one), the other is left: no tombstone, so no derived shard to read or write.
    for (const connectionId of ['shop', 'crm']) {
      const plan = planDeletesByAbsence([{ shard, etag: 'e1' }], new Set(), { ...scope, connectionId }, mergeFields, new Map([[profile.id, { shard: profile, etag: 'ep' }]]));
      expect(plan.deleted).toBe(1);
      expect(plan.writes.map((w) => w.shard.id)).toEqual([shard.id]);
      expect(plan.writes[0]!.shard.deletedAt).toBeUndefined();
      expect(plan.derivedIds).toEqual([]);
    }
  });

  it('takes a deleted record out of a merged shard: the other record keeps its data and the shard stays live', () => {
    const plan = planDeletesByAbsence([{ shard: merged(), etag: 'e1' }], new Set(), scope, mergeFields);
    expect(plan.deleted).toBe(1);
    const [write] = plan.writes;
    expect(write).toBeDefined();
    expect(write!.shard.deletedAt).toBeUndefined();
    expect(write!.shard.externalRelationships.map((r) => r.connectionId)).toEqual(['crm']);
    expect(write!.shard.contributions?.map((c) => c.source)).toEqual(['crm/customers/2']);
    expect(write!.shard.data).toEqual({ email: '1@example.com', phone: '555' });
    // The links the merged-in record brought stay; those the deleted own record owned go.
    expect(write!.shard.links).toEqual(merged().links);
  });

  it('a merged shard back to its own record alone is a plain shard again, with that record hash', () => {
    const shard = merged();
    const plan = planDeletesByAbsence([{ shard, etag: 'e1' }], new Set(), { ...scope, connectionId: 'crm' }, mergeFields);
    expect(plan.deleted).toBe(1);
    const [write] = plan.writes;
    expect(write).toBeDefined();
    expect(write!.shard).toMatchObject({ data: { email: '1@example.com' }, hash: 'h1', links: [] });
    expect(write!.shard.contributions).toBeUndefined();
    expect(write!.shard.merges).toBeUndefined();
  });

  it('a merged shard whose records are all gone becomes a tombstone', () => {
    const shard = { ...merged(), externalRelationships: [relationship('1'), relationship('2')] };
    const plan = planDeletesByAbsence([{ shard, etag: 'e1' }], new Set(), scope, mergeFields);
    expect(plan.deleted).toBe(2);
    expect(plan.writes[0]?.shard).toMatchObject({ deletedBy: 'exe_2', contributions: shard.contributions });
  });
});
