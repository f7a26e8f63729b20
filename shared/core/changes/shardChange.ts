import { createHash } from 'node:crypto';
import type { Shard } from '../schemas/shard.js';
import type { ShardWrite } from '../executions/shardWritePlan.js';

export const SHARD_CHANGE_KINDS = ['added', 'updated', 'deleted', 'merged', 'unmerged'] as const;
export type ShardChangeKind = (typeof SHARD_CHANGE_KINDS)[number];

/**
 * Kept a week, like other coordination documents with a TTL: a consumer that stops polling for
 * longer re-reads the shards once and follows the feed from a fresh cursor.
 */
export const SHARD_CHANGE_TTL_SECONDS = 7 * 24 * 60 * 60;

/** What a change says about a shard, before it gets its place in the feed. */
export interface ShardChangeFact {
  kind: ShardChangeKind;
  shardId: string;
  shardType: string;
  /** The shard's version after the change; absent for a shard removed outright (a derived shard, an absorbed one). */
  version?: number;
  /** `merged`: the shard that went into `shardId` (the survivor). */
  absorbedShardId?: string;
  /** `unmerged`: the shard `shardId` was split off from. */
  splitFromShardId?: string;
}

/** A change about to be recorded: its fact, and what tells it apart from an equal fact (see changeIdentity). */
export interface PlannedChange {
  fact: ShardChangeFact;
  discriminator?: string;
}

/**
 * The changes of one store batch of shard writes, stored as one `coordination` document: one
 * extra write per batch (up to 100 shard writes) rather than one per shard, which would double
 * the writes of a sync. The feed hands out its entries one by one (see changeCursor).
 */
export interface ShardChangeBatch {
  id: string;
  tenantId: string;
  docKind: 'shard_changes';
  /** ISO 8601, when the changes were recorded (just before the shard writes they announce). */
  at: string;
  /** The feed's ordering key, `<at>|<id>`: ISO times sort as strings, and the id makes it unique. */
  key: string;
  /** In the order the writes were planned, so a shard's changes within one batch keep their order. */
  changes: ShardChangeFact[];
  ttl: number;
}

/** What makes a change the same change again: its fact (a version, for a versioned one) and discriminator. */
export function changeIdentity(change: PlannedChange): string {
  const { fact } = change;
  return [fact.kind, fact.shardId, String(fact.version ?? ''), fact.absorbedShardId ?? '', fact.splitFromShardId ?? '', change.discriminator ?? ''].join('\u0001');
}

/**
 * The id is deterministic from what changed, not when: the same writes planned again after a
 * redelivery (same shards, same versions) upsert the same document instead of adding a second
 * one. Its key then moves to the later time, so a consumer may see those entries twice
 * (at-least-once), never loses them.
 */
export function shardChangeBatch(tenantId: string, changes: readonly PlannedChange[], at: string): ShardChangeBatch {
  const id = `chg_${createHash('sha256').update(changes.map(changeIdentity).join('\u0000')).digest('base64url').slice(0, 32)}`;
  return { id, tenantId, docKind: 'shard_changes', at, key: `${at}|${id}`, changes: changes.map((change) => change.fact), ttl: SHARD_CHANGE_TTL_SECONDS };
}

/**
 * The change a planned shard write makes. A create is `added` (a restored tombstone is a replace:
 * `updated`); a replace that sets `deletedAt` is `deleted` (a tombstone); a hard delete (a derived
 * shard that is no longer wanted) is `deleted` without a version. `previous` is the stored shard a
 * replace or delete applies to, when the caller has it (for the shard type of a hard delete).
 */
export function changeOfWrite(write: ShardWrite, previous?: Pick<Shard, 'shardType' | 'deletedAt'>): PlannedChange | undefined {
  switch (write.kind) {
    case 'create':
      return { fact: { kind: 'added', shardId: write.shard.id, shardType: write.shard.shardType, version: write.shard.version }, discriminator: '' };
    case 'replace': {
      const tombstoned = write.shard.deletedAt !== undefined && previous?.deletedAt === undefined;
      // A tombstone rewritten (e.g. its derived marks) is no news to a consumer.
      if (write.shard.deletedAt !== undefined && !tombstoned) return undefined;
      return { fact: { kind: tombstoned ? 'deleted' : 'updated', shardId: write.shard.id, shardType: write.shard.shardType, version: write.shard.version }, discriminator: '' };
    }
    case 'delete':
      // No version to tell two removals of one id apart: the ETag removed does.
      return previous ? { fact: { kind: 'deleted', shardId: write.shardId, shardType: previous.shardType }, discriminator: write.ifMatch } : undefined;
  }
}

/**
 * The changes of one record's writes (its batch). `previousOf` gives the stored shard a replace or
 * delete applies to, as far as the caller read it; a hard delete whose shard type is unknown is
 * left out rather than reported without one.
 */
export function changesOfWrites(writes: readonly ShardWrite[], previousOf: (shardId: string) => Pick<Shard, 'shardType' | 'deletedAt'> | undefined = () => undefined): PlannedChange[] {
  return writes.flatMap((write) => changeOfWrite(write, previousOf(write.kind === 'delete' ? write.shardId : write.shard.id)) ?? []);
}
