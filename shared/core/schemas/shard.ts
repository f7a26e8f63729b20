/** A normalized record. */
export interface ExternalRelationship {
  connectionId: string;
  stream: string;
  externalId: string;
  syncStatus: 'synced';
  lastSyncedAt: string;
  hash: string;
}

export interface Shard {
  id: string;
  tenantId: string;
  shardType: string;
  data: Record<string, unknown>;
  externalRelationships: ExternalRelationship[];
  links: Array<{ rel: string; shardId: string }>;
  version: number;
  /** Content hash of `data`: an equal hash means nothing to write. */
  hash: string;
  /** Which batch created / last changed the shard: lets a redelivered batch classify its records exactly as the first attempt did. */
  createdByBatch: string;
  updatedByBatch: string;
  createdAt: string;
  updatedAt: string;
}
