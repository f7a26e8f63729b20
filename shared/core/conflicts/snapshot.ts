import { contentHash } from '../contentHash.js';

/**
 * A side's data with its content hash: the shard's data (local), the provider's record in shard
 * form (remote), or the last synced state kept on the external relationship (base). Equal hashes
 * mean equal data, which lets detection and the echo check skip comparing fields.
 */
export interface Snapshot {
  data: Record<string, unknown>;
  hash: string;
}

export const snapshotOf = (data: Record<string, unknown>): Snapshot => ({ data, hash: contentHash(data) });
