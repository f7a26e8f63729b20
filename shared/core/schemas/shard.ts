/** A normalized record. */
export interface ExternalRelationship {
  connectionId: string;
  stream: string;
  externalId: string;
  syncStatus: 'synced';
  lastSyncedAt: string;
  hash: string;
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
  version: number;
  /** Content hash of `data`: an equal hash means nothing to write. */
  hash: string;
  /** Which batch created / last changed the shard: lets a redelivered batch classify its records exactly as the first attempt did. */
  createdByBatch: string;
  updatedByBatch: string;
  createdAt: string;
  updatedAt: string;
}
