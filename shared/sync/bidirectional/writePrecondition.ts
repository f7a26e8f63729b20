import type { ExternalRelationship } from '../../core/schemas/shard.js';
import type { WritePrecondition } from '../../connectors/connector.js';

/** What the update must find at the provider: the record as this shard last saw it. */
export function preconditionOf(relationship: ExternalRelationship): WritePrecondition | undefined {
  if (!relationship.remoteModifiedAt && !relationship.remoteVersion) return undefined;
  return {
    ...(relationship.remoteModifiedAt ? { modifiedAt: relationship.remoteModifiedAt } : {}),
    ...(relationship.remoteVersion ? { version: relationship.remoteVersion } : {}),
  };
}
