import { createHash, randomUUID } from 'node:crypto';
import type { ExternalRelationship, Shard } from '../../core/schemas/shard.js';
import { decideLease, type LeaseState } from '../../core/executions/leaseDecision.js';
import { PreconditionFailedError } from '../../ports/preconditionFailedError.js';
import { updateDocument } from '../documentUpdate.js';
import type { SyncDeps } from '../syncDeps.js';
import { ReferencePendingError } from './referencePendingError.js';

/** The single-creator lease on one shard's record at one connection and stream, in `coordination`. */
interface CreateLease extends LeaseState {
  id: string;
  tenantId: string;
  kind: 'create_lease';
  ttl: number;
}

/** Longer than a guarded provider create takes, so a live creator never loses it; a crashed one holds it no longer. */
const CREATE_LEASE_MS = 60_000;
/** How long a write-back waits for another's create of the same record before it retries later instead. */
const WAIT_MS = 15_000;
const POLL_MS = 25;

const leaseId = (shardId: string, connectionId: string, stream: string) =>
  `createlease:${createHash('sha256').update(JSON.stringify([shardId, connectionId, stream])).digest('base64url')}`;

/** The shard's record at a connection and stream, if it has one. */
export const recordAt = (shard: Shard, connectionId: string, stream: string): ExternalRelationship | undefined =>
  shard.externalRelationships.find((r) => r.connectionId === connectionId && r.stream === stream);

function takeLease(deps: SyncDeps, tenantId: string, id: string, holder: string): Promise<boolean> {
  return updateDocument<CreateLease, boolean>(deps, 'coordination', tenantId, id, (existing, nowMs) => {
    if (decideLease(existing, holder, nowMs, CREATE_LEASE_MS).kind === 'busy') return { result: false };
    return { result: true, next: { id, tenantId, kind: 'create_lease', holder, expiresAtMs: nowMs + CREATE_LEASE_MS, ttl: Math.ceil((CREATE_LEASE_MS * 2) / 1000) } };
  });
}

async function releaseLease(deps: SyncDeps, tenantId: string, id: string, holder: string): Promise<void> {
  const existing = await deps.store.read<CreateLease>('coordination', tenantId, id);
  if (existing?.holder !== holder) return;
  await deps.store.delete('coordination', tenantId, id, { ifMatch: existing._etag }).catch((error: unknown) => {
    if (!(error instanceof PreconditionFailedError)) throw error;
  });
}

/**
 * The shard's record at `connectionId`/`stream`, created by `create` when it has none — once among
 * any number of concurrent write-backs and hosts: creating takes a lease (an ETag-guarded document)
 * on (shard, connection, stream), and the shard is read again after taking it, so whoever created
 * it before is seen. `create` saves the relationship before returning, and the lease is released
 * only then. Redelivered and concurrent messages therefore create nothing twice. What remains: a
 * process dying between the provider's answer and saving the relationship leaves a record the
 * shard does not know; after the lease expires the next write-back creates another (the provider
 * offers no idempotency key to prevent it). Undefined when the shard no longer exists.
 */
export async function createOnce(
  deps: SyncDeps,
  tenantId: string,
  shardId: string,
  connectionId: string,
  stream: string,
  create: (shard: Shard) => Promise<ExternalRelationship>,
): Promise<{ relationship: ExternalRelationship; created: boolean } | undefined> {
  const id = leaseId(shardId, connectionId, stream);
  const holder = randomUUID();
  const giveUpAt = Date.now() + WAIT_MS;
  for (;;) {
    const shard = await deps.store.read<Shard>('shards', tenantId, shardId);
    if (!shard) return undefined;
    const existing = recordAt(shard, connectionId, stream);
    if (existing) return { relationship: existing, created: false };
    if (await takeLease(deps, tenantId, id, holder)) {
      try {
        // A holder before us may have created it between our read and our lease.
        const fresh = await deps.store.read<Shard>('shards', tenantId, shardId);
        if (!fresh) return undefined;
        const made = recordAt(fresh, connectionId, stream);
        if (made) return { relationship: made, created: false };
        return { relationship: await create(fresh), created: true };
      } finally {
        await releaseLease(deps, tenantId, id, holder);
      }
    }
    if (Date.now() > giveUpAt) throw new ReferencePendingError(`shard ${shardId} is being created at ${connectionId}/${stream} by another write-back`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
