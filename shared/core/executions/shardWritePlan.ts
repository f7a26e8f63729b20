import type { ExternalRelationship, Shard, ShardLink } from '../schemas/shard.js';
import { parseProviderTime } from './incrementalCursor.js';
import type { DerivedShardData } from '../conversion/result.js';
import type { ParentRef } from '../conversion/relationships.js';
import { decideRecordOutcome, type RecordOutcome } from './recordOutcome.js';
import { contentHash } from '../contentHash.js';
import { contributionModifiedAt, mergeContributions } from '../dedupe/mergeContributions.js';
import type { MergeStrategy } from '../dedupe/dedupeRules.js';
import type { MatchedField } from '../dedupe/matchScore.js';
import { ids } from '../ids.js';
import { sourceKey } from '../sourceKey.js';
import type { Snapshot } from '../conflicts/snapshot.js';
import { contributionsOf } from '../dedupe/shardMergePlan.js';

export { sourceKey };

/** One transformed record on its way to its shards. */
export interface IncomingRecord {
  connectionId: string;
  stream: string;
  externalId: string;
  shardType: string;
  data: Record<string, unknown>;
  derived: readonly DerivedShardData[];
  parents: readonly ParentRef[];
  /** Content hash of everything the record's shards are made of (see recordHash). */
  hash: string;
  /** Bidirectional tasks: the base to keep on the record's external relationship, and the provider's modified time. */
  base?: Snapshot;
  remoteModifiedAt?: string;
  /** The provider's concurrency token of the record as read (StreamInfo.versionField). */
  remoteVersion?: string;
  /** It came with a webhook delivery, which may arrive after a newer read: see isStaleDelivery. */
  delivered?: boolean;
}

/** Equal hash ⇒ the primary, its derived shards and its links would all be written as they are. */
export function recordHash(record: Pick<IncomingRecord, 'shardType' | 'data' | 'derived' | 'parents'>): string {
  const { shardType, data, derived, parents } = record;
  return derived.length === 0 && parents.length === 0 ? contentHash({ shardType, data }) : contentHash({ shardType, data, derived, parents });
}

export type ShardWrite =
  | { kind: 'create'; shard: Shard }
  | { kind: 'replace'; shard: Shard; ifMatch: string }
  | { kind: 'delete'; shardId: string; ifMatch: string };

/** A stored shard with the ETag it was read with. */
export interface ReadShard {
  shard: Shard;
  etag: string;
}

/** What the store holds for a record, as far as planning needs it. */
export interface RecordTarget {
  tenantId: string;
  /** The shard the record is written to: its own, or the one it was merged into. */
  shardId: string;
  existing?: ReadShard;
  /** Derived shards stored for this primary, by id; read only for records that changed. */
  derived: ReadonlyMap<string, ReadShard>;
  /** Parent shard ids known to exist. */
  presentParents: ReadonlySet<string>;
  /** Set when the record joins `existing` because it matched it (entity resolution). */
  match?: { score: number; matched: MatchedField[] };
  /** How a merged shard's data is made; merge_fields unless the shard type's rules say otherwise. */
  mergeStrategy?: MergeStrategy;
}

export interface RecordWritePlan {
  outcome: RecordOutcome;
  /** The primary's write first; empty when the shards already hold this content. */
  writes: ShardWrite[];
  /** Relationship links written pending: their parents are to be waited for. */
  pending: ShardLink[];
}

/** The parent's shard id: the same connection, the parent's stream and external id. */
export const parentShardId = (connectionId: string, parent: ParentRef): string => ids.shardFor(connectionId, parent.stream, parent.externalId);

/** Links the shard's own record owns (see ShardLink); other links are kept as they are. */
const ownedByOwnRecord = (link: ShardLink) => link.rel === 'derived' || (link.stream !== undefined && link.source === undefined);

type StoredContribution = NonNullable<Shard['contributions']>[number];

/**
 * Decides what saving a record means for its shards, from data alone: create or replace the
 * primary (conditionally on the ETag it was read with), create, update in place or delete its
 * derived shards (a derived shard whose condition no longer holds goes), and link it to its
 * parents. A record that belongs to another record's shard (it matched it: `target.match` on the
 * first time, a contribution afterwards) updates its contribution to that shard, whose data is
 * the merge of all of them. The use case executes the writes, one record's writes in one transaction.
 */
export function planRecordWrite(record: IncomingRecord, target: RecordTarget, batchKey: string, now: string): RecordWritePlan {
  const existing = target.existing?.shard;
  const source = sourceKey(record);
  const own = target.shardId === ids.shardFor(record.connectionId, record.stream, record.externalId);
  const previous = existing?.externalRelationships.find((r) => sameSource(r, record));
  // A tombstone whose record is read again is restored, even with the content it had.
  if (existing && ((previous?.hash === record.hash && existing.deletedAt === undefined) || isStaleDelivery(record, previous)) && !target.match) {
    return { outcome: unchangedOutcome(existing, source, own, batchKey, record.hash), writes: [], pending: [] };
  }

  const derivedWrites: ShardWrite[] = [];
  const derivedLinks: ShardLink[] = [];
  if (own) {
    const wanted = new Set<string>();
    for (const derived of record.derived) {
      const shardId = ids.derivedShard(target.shardId, derived.shardType);
      wanted.add(shardId);
      derivedLinks.push({ rel: 'derived', shardId, shardType: derived.shardType });
      const write = planDerivedWrite(derived, shardId, target, batchKey, now);
      if (write) derivedWrites.push(write);
    }
    for (const [shardId, stored] of target.derived) {
      if (!wanted.has(shardId)) derivedWrites.push({ kind: 'delete', shardId, ifMatch: stored.etag });
    }
  }

  const parentLinks: ShardLink[] = record.parents.map((parent) => {
    const shardId = parentShardId(record.connectionId, parent);
    const link: ShardLink = { rel: parent.rel, shardId, stream: parent.stream, externalId: parent.externalId, ...(own ? {} : { source }) };
    return target.presentParents.has(shardId) ? link : { ...link, status: 'pending' };
  });
  const kept = existing?.links.filter((link) => (own ? !ownedByOwnRecord(link) : link.source !== source)) ?? [];
  const links = [...kept, ...derivedLinks, ...parentLinks];
  const relationship: ExternalRelationship = {
    connectionId: record.connectionId,
    stream: record.stream,
    externalId: record.externalId,
    syncStatus: 'synced',
    lastSyncedAt: now,
    hash: record.hash,
    ...(record.base ? { base: record.base } : {}),
    ...(record.remoteModifiedAt ? { remoteModifiedAt: record.remoteModifiedAt } : {}),
    ...(record.remoteVersion ? { remoteVersion: record.remoteVersion } : {}),
  };
  const pending = parentLinks.filter((link) => link.status === 'pending');
  if (!existing) {
    const shard = newShard(target.tenantId, target.shardId, record.shardType, record.data, record.hash, batchKey, now, { externalRelationships: [relationship], links });
    return { outcome: 'created', writes: [{ kind: 'create', shard }, ...derivedWrites], pending };
  }

  const merged = existing.contributions !== undefined || !own;
  const body: Pick<Shard, 'data' | 'hash' | 'contributions' | 'merges'> = merged
    ? mergedBody(existing, record, source, target, batchKey, now)
    : { data: record.data, hash: record.hash };
  // A shard a record is written to is live: a tombstone's marks go.
  const { deletedAt, deletedBy: _deletedBy, ...live } = existing;
  const primary: ShardWrite = {
    kind: 'replace',
    ifMatch: target.existing!.etag,
    shard: {
      ...live,
      ...body,
      shardType: own ? record.shardType : existing.shardType,
      externalRelationships: [...existing.externalRelationships.filter((r) => !sameSource(r, record)), relationship],
      links,
      version: existing.version + 1,
      updatedByBatch: batchKey,
      updatedAt: now,
    },
  };
  // A restored tombstone counts as updated: the shard existed all along.
  const outcome = target.match ? 'merged' : deletedAt !== undefined ? 'updated' : decideRecordOutcome(existing, record.hash, batchKey);
  return { outcome, writes: [primary, ...derivedWrites], pending };
}

/** A merged shard's body after one of its records changed or joined. */
function mergedBody(existing: Shard, record: IncomingRecord, source: string, target: RecordTarget, batchKey: string, now: string) {
  const contributions = contributionsOf(existing);
  const joined = contributions.find((c) => c.source === source);
  const contribution: StoredContribution = { source, data: record.data, modifiedAt: contributionModifiedAt(record.data, now), joinedAt: joined?.joinedAt ?? now, updatedByBatch: batchKey };
  const next = [...contributions.filter((c) => c.source !== source), contribution];
  const data = mergeContributions(next, target.mergeStrategy ?? 'merge_fields');
  const merges = target.match
    ? [
        ...(existing.merges ?? []).filter((m) => m.source !== source),
        {
          source,
          shardId: ids.shardFor(record.connectionId, record.stream, record.externalId),
          score: target.match.score,
          matched: target.match.matched,
          mergedAt: now,
          batchKey,
        },
      ]
    : existing.merges;
  return { data, hash: contentHash({ shardType: existing.shardType, data }), contributions: next, ...(merges ? { merges } : {}) };
}

/**
 * An unchanged record in a batch that already wrote it (a redelivery) counts as that batch first
 * counted it: merged, created or updated.
 */
function unchangedOutcome(existing: Shard, source: string, own: boolean, batchKey: string, hash: string): RecordOutcome {
  // The record's hash is what counts, not the shard's: local edits and write-backs change the shard alone.
  if (own && !existing.contributions) return decideRecordOutcome({ ...existing, hash }, hash, batchKey);
  if (existing.merges?.some((m) => m.source === source && m.batchKey === batchKey)) return 'merged';
  const contribution = existing.contributions?.find((c) => c.source === source);
  if (contribution?.updatedByBatch !== batchKey) return 'unchanged';
  return own && existing.createdByBatch === batchKey ? 'created' : 'updated';
}

function planDerivedWrite(derived: DerivedShardData, shardId: string, target: RecordTarget, batchKey: string, now: string): ShardWrite | undefined {
  const hash = contentHash({ shardType: derived.shardType, key: derived.key, data: derived.data });
  const stored = target.derived.get(shardId);
  if (!stored) {
    const shard = newShard(target.tenantId, shardId, derived.shardType, derived.data, hash, batchKey, now, {
      externalRelationships: [],
      links: [{ rel: 'derived_from', shardId: target.shardId }],
    });
    return { kind: 'create', shard: { ...shard, derivedKey: derived.key } };
  }
  // A derived shard tombstoned with its primary (deletes by absence) comes back with it, even unchanged.
  if (stored.shard.hash === hash && stored.shard.deletedAt === undefined) return undefined;
  const { deletedAt: _deletedAt, deletedBy: _deletedBy, ...live } = stored.shard;
  return {
    kind: 'replace',
    ifMatch: stored.etag,
    shard: {
      ...live,
      shardType: derived.shardType,
      derivedKey: derived.key,
      data: derived.data,
      version: stored.shard.version + 1,
      hash,
      updatedByBatch: batchKey,
      updatedAt: now,
    },
  };
}

function newShard(
  tenantId: string,
  id: string,
  shardType: string,
  data: Record<string, unknown>,
  hash: string,
  batchKey: string,
  now: string,
  relations: Pick<Shard, 'externalRelationships' | 'links'>,
): Shard {
  return { id, tenantId, shardType, data, ...relations, version: 1, hash, createdByBatch: batchKey, updatedByBatch: batchKey, createdAt: now, updatedAt: now };
}

const sameSource = (r: ExternalRelationship, record: IncomingRecord) =>
  r.connectionId === record.connectionId && r.stream === record.stream && r.externalId === record.externalId;

/** The shard with its pending link to `parentShardId` completed; undefined when there is none to complete. */
export function completePendingLink(shard: Shard, parentShardId: string, now: string): Shard | undefined {
  if (!shard.links.some((link) => link.shardId === parentShardId && link.status === 'pending')) return undefined;
  return {
    ...shard,
    links: shard.links.map(({ status, ...link }) => (link.shardId === parentShardId ? link : { ...link, ...(status ? { status } : {}) })),
    version: shard.version + 1,
    updatedAt: now,
  };
}

/**
 * A delivered record older than the one the shard last took from the provider: deliveries can
 * arrive out of order and after a read, so it is left as it is. Reads are never stale: the
 * provider answers what it holds now.
 */
function isStaleDelivery(record: IncomingRecord, previous: ExternalRelationship | undefined): boolean {
  if (!record.delivered || !record.remoteModifiedAt || !previous?.remoteModifiedAt) return false;
  const [incoming, held] = [parseProviderTime(record.remoteModifiedAt), parseProviderTime(previous.remoteModifiedAt)];
  return incoming !== undefined && held !== undefined && incoming < held;
}
