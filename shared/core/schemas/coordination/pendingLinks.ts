/** The shards waiting for one parent shard that does not exist yet (in `coordination`). */
export interface PendingLinks {
  id: string;
  tenantId: string;
  kind: 'pending_links';
  parentShardId: string;
  connectionId: string;
  stream: string;
  externalId: string;
  waiting: Array<{ shardId: string; rel: string }>;
  updatedAt: string;
}

/** How many PendingLinks documents a connection's stream has: at 0 its batches look no further. */
export interface PendingLinkCount {
  id: string;
  tenantId: string;
  kind: 'pending_link_count';
  connectionId: string;
  stream: string;
  count: number;
}
