import { tenantLimits } from '../../core/schemas/tenant.js';
import { fullBucket, takeToken, type TokenBucketConfig } from '../../core/operations/tokenBucket.js';
import type { StartRateLimitDoc } from '../../core/schemas/coordination/startRateLimit.js';
import { updateDocument } from '../documentUpdate.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';

export type StartRateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Whose budget a request spends: `automation` for start requests (scripts, integrations),
 * `retry` for operators' retry requests, so retrying failures never leaves automation without
 * starts — and a retry request counts once however many executions it starts.
 */
export type StartBudget = 'automation' | 'retry';

const RATE_LIMIT_IDS: Record<StartBudget, string> = { automation: 'ratelimit:start', retry: 'ratelimit:retry' };

/**
 * Counts one request against a bucket of the tenant's `settings.limits.startRequestsPerMinute`
 * (each budget its own bucket of that size): that many may come at once, then one every
 * 60/limit seconds. A refused request is not counted.
 * Throws UnknownResourceError for an unknown tenant (a 404, like every tenant route).
 */
export async function checkStartRateLimit(deps: SyncDeps, tenantId: string, budget: StartBudget = 'automation'): Promise<StartRateLimitDecision> {
  const bucketId = RATE_LIMIT_IDS[budget];
  const tenant = await requireTenant(deps, tenantId);
  // Tenants stored before limits existed have none: they get the default.
  const perMinute = tenant.settings.limits?.startRequestsPerMinute ?? tenantLimits.parse({}).startRequestsPerMinute;
  const config: TokenBucketConfig = { capacity: perMinute, refillPerMinute: perMinute };
  return updateDocument<StartRateLimitDoc, StartRateLimitDecision>(deps, 'coordination', tenantId, bucketId, (doc, nowMs) => {
    const taken = takeToken(doc?.bucket ?? fullBucket(config, nowMs), config, nowMs);
    if (!taken.granted) return { result: { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(taken.waitMs / 1000)) } };
    return { result: { allowed: true }, next: { id: bucketId, tenantId, bucket: taken.state } };
  });
}
