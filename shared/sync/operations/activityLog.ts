import { createHash, randomBytes } from 'node:crypto';
import { ConflictError } from '../../ports/conflictError.js';
import type { ActivityEntry } from '../../core/schemas/activity.js';
import { retentionTtlSeconds } from '../../core/operations/retentionPlan.js';
import type { SyncDeps } from '../syncDeps.js';
import { getTenant } from '../tenants/tenants.js';

export type ActivityInput = Omit<ActivityEntry, 'id' | 'at' | 'tenantId' | 'ttl'> & {
  tenantId: string;
  /** Deterministic key of the event (e.g. `execution.started:<executionId>`): a redelivery records it once. */
  key?: string;
};

/** How long a tenant's activity TTL is reused before its settings are read again. */
const TTL_CACHE_MS = 60_000;

/**
 * Appends one audit entry. Append-only: `create`, never an update. With a `key` the id derives
 * from it, so a redelivered message that records the same event again hits 409 and changes
 * nothing (`recorded: false`); without one the id starts with the time, so ids sort chronologically.
 */
export async function recordActivity(deps: SyncDeps, input: ActivityInput): Promise<{ id: string; recorded: boolean }> {
  const { key, ...fields } = input;
  const now = deps.clock.now();
  const id = key === undefined ? timeOrderedId(now) : keyedId(key);
  const entry: ActivityEntry = { ...fields, id, at: now.toISOString(), ttl: await activityTtl(deps, input.tenantId, now) };
  try {
    await deps.store.create('activity', entry);
    return { id, recorded: true };
  } catch (error) {
    if (error instanceof ConflictError) return { id, recorded: false };
    throw error;
  }
}

const keyedId = (key: string) => `act_k_${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;

/** `act_20240501T101500123Z_<random>`: compact ISO time first, random suffix against collisions. */
const timeOrderedId = (at: Date) => `act_${at.toISOString().replace(/[-:.]/g, '')}_${randomBytes(6).toString('hex')}`;

/** The tenant's `retention.activityDays` as seconds; an unknown tenant is a 404 like everywhere else. */
async function activityTtl(deps: SyncDeps, tenantId: string, now: Date): Promise<number> {
  const cache = deps.caches.activityTtls;
  const cached = cache.get(tenantId);
  if (cached && cached.until > now.getTime()) return cached.ttl;
  const tenant = await getTenant(deps, tenantId);
  const ttl = retentionTtlSeconds(tenant.settings.retention, 'activity');
  cache.set(tenantId, { ttl, until: now.getTime() + TTL_CACHE_MS });
  return ttl;
}
