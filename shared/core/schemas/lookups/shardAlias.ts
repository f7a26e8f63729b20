/** A merged record's own shard id, pointing at the shard it was merged into (in `lookups`). */
export interface ShardAlias {
  id: string;
  tenantId: string;
  kind: 'shard_alias';
  survivorId: string;
  source: string;
}
