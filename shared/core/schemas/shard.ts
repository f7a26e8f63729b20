import { z } from 'zod';
import type { Contribution } from '../dedupe/mergeContributions.js';
import type { MatchedField } from '../dedupe/matchScore.js';
import type { Snapshot } from '../conflicts/snapshot.js';

/** A record that joined a shard because it matched it. */
export interface MergeEntry {
  /** `connectionId/stream/externalId` of the record (as in its contribution). */
  source: string;
  /** The shard the record would have had alone: its id points here through an alias. */
  shardId: string;
  score: number;
  matched: MatchedField[];
  mergedAt: string;
  /** The batch that merged it: a redelivered batch counts it as merged again, not as unchanged. */
  batchKey: string;
}

/** A normalized record. */
export interface ExternalRelationship {
  connectionId: string;
  stream: string;
  externalId: string;
  syncStatus: 'synced';
  lastSyncedAt: string;
  hash: string;
  /**
   * Bidirectional tasks: the record as both sides last agreed on it, in shard form (the base of
   * three-way detection), and the provider's modified time then (the write-back precondition).
   */
  base?: Snapshot;
  remoteModifiedAt?: string;
  /** The provider's concurrency token then (an ETag, a `SyncToken`): the write-back precondition where the provider guards writes with one. */
  remoteVersion?: string;
}

/**
 * A link from this shard to another one. Links the conversion schema owns: `derived` (primary →
 * its derived shards), `derived_from` (derived → primary), and relationships to parent records
 * (`stream` + `externalId` set), `pending` until the parent's shard exists.
 */
export interface ShardLink {
  rel: string;
  shardId: string;
  /** Derived links: the derived shard's type. */
  shardType?: string;
  /** Relationship links: the parent record's stream and external id on this shard's connection. */
  stream?: string;
  externalId?: string;
  status?: 'pending';
  /** Relationship links a merged-in record brought: its `connectionId/stream/externalId`. */
  source?: string;
}

export interface Shard {
  id: string;
  tenantId: string;
  shardType: string;
  data: Record<string, unknown>;
  externalRelationships: ExternalRelationship[];
  links: ShardLink[];
  /** Derived shards: the source value that identifies them (e.g. the company name). */
  derivedKey?: string;
  /** Merged shards: what each of their records gives; `data` is made from these (mergeContributions). */
  contributions?: Array<Contribution & { updatedByBatch: string }>;
  /** Merged shards: which records joined and why, so a merge can be explained and undone. */
  merges?: MergeEntry[];
  /** The version of its type's de-duplication rules the shard was last resolved with. */
  resolvedWith?: number;
  /** Shards an operator unmerged this one from: never merged with it again. */
  separatedFrom?: string[];
  version: number;
  /** Content hash of `data`: an equal hash means nothing to write. */
  hash: string;
  /** Tombstones: when a complete full read no longer found the shard's record, and which execution that was. */
  deletedAt?: string;
  deletedBy?: string;
  /** Which batch created / last changed the shard: lets a redelivered batch classify its records exactly as the first attempt did. */
  createdByBatch: string;
  updatedByBatch: string;
  createdAt: string;
  updatedAt: string;
}

const shardData = z.record(z.string(), z.unknown()).describe("The normalized record, as the type's conversion schemas produce it");

/** What the API shows of a shard: bookkeeping for redelivery (`createdByBatch`, `updatedByBatch`) stays inside. */
export const shardView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    shardType: z.string(),
    data: shardData,
    externalRelationships: z.array(
      z.object({
        connectionId: z.string(),
        stream: z.string(),
        externalId: z.string(),
        syncStatus: z.literal('synced'),
        lastSyncedAt: z.string(),
        hash: z.string(),
        base: z.object({ data: shardData, hash: z.string() }).optional().describe('Bidirectional tasks: the record as both sides last agreed on it'),
        remoteModifiedAt: z.string().optional(),
        remoteVersion: z.string().optional().describe("The provider's concurrency token as last read (an ETag, a SyncToken), where it guards writes with one"),
      }),
    ),
    links: z.array(
      z.object({
        rel: z.string(),
        shardId: z.string(),
        shardType: z.string().optional(),
        stream: z.string().optional(),
        externalId: z.string().optional(),
        status: z.literal('pending').optional(),
        source: z.string().optional(),
      }),
    ),
    derivedKey: z.string().optional(),
    contributions: z
      .array(z.object({ source: z.string(), data: shardData, modifiedAt: z.string(), joinedAt: z.string(), updatedByBatch: z.string() }))
      .optional(),
    merges: z
      .array(
        z.object({
          source: z.string(),
          shardId: z.string(),
          score: z.number(),
          matched: z.array(z.object({ field: z.string(), kind: z.string(), similarity: z.number() })),
          mergedAt: z.string(),
          batchKey: z.string(),
        }),
      )
      .optional(),
    resolvedWith: z.number().int().optional(),
    separatedFrom: z.array(z.string()).optional(),
    version: z.number().int().describe('Goes up by one with every change'),
    hash: z.string().describe('Content hash of `data`'),
    deletedAt: z.string().optional().describe('A tombstone: when a complete full read no longer found its record at the provider'),
    deletedBy: z.string().optional().describe('A tombstone: the execution that found the record gone'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'Shard',
    description: 'A normalized record with its external relationships and links',
    examples: [
      {
        id: 'shd_5b7a',
        tenantId: 'acme',
        shardType: 'customer',
        data: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', displayName: 'Ada Lovelace' },
        externalRelationships: [
          { connectionId: 'shop', stream: 'customers', externalId: '1042', syncStatus: 'synced', lastSyncedAt: '2026-12-07T02:30:02.900Z', hash: 'sha256:9f2c…' },
        ],
        links: [{ rel: 'derived', shardId: 'shd_77c1', shardType: 'company_profile' }],
        version: 3,
        hash: 'sha256:41ab…',
        createdAt: '2026-11-02T10:00:00.000Z',
        updatedAt: '2026-12-07T02:30:02.900Z',
      },
    ],
  });
export type ShardView = z.infer<typeof shardView>;
