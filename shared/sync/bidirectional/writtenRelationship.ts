import type { ExternalRelationship } from '../../core/schemas/shard.js';
import type { Snapshot } from '../../core/conflicts/snapshot.js';
import type { WriteResult } from '../../connectors/connector.js';

/** The shard's relationship to the record a write just made or changed: synced now, with what later writes compare against. */
export function writtenRelationship(connectionId: string, stream: string, result: WriteResult, hash: string, base: Snapshot, now: Date): ExternalRelationship {
  return {
    connectionId,
    stream,
    externalId: result.externalId,
    syncStatus: 'synced',
    lastSyncedAt: now.toISOString(),
    hash,
    base,
    ...(result.modifiedAt ? { remoteModifiedAt: result.modifiedAt } : {}),
    ...(result.version ? { remoteVersion: result.version } : {}),
  };
}
