import type { Doc } from '../ports/store.js';
import { tenantLimits } from '../core/schemas/tenant.js';
import { fullBucket, takeToken, type TokenBucketConfig, type TokenBucketState } from '../core/tokenBucket.js';
import { updateDocument } from './documentUpdate.js';
import type { SyncDeps } from './syncDeps.js';
import { requireTenant } from './tenants.js';

export type StartRateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** One bucket per tenant in its own partition, shared by every instance serving the API. */
interface StartRateLimitDoc extends Doc {
  bucket: TokenBucketState;
}

const START_RATE_LIMIT_ID = 'ratelimit:start';

/**
 * Counts one execution start against the tenant's `settings.limits.startRequestsPerMinute`: that
 * many may come at once, then one every 60/limit seconds. A refused start is not counted.
 * Throws UnknownResourceError for an unknown tenant (a 404, like every tenant route).
 */
export async function checkStartRateLimit(deps: SyncDeps, tenantId: string): Promise<StartRateLimitDecision> {
  const tenant = await requireTenant(deps, tenantId);
  // Tenants stored before limits existed have none: they get the default.
  const perMinute = tenant.settings.limits?.startRequestsPerMinute ?? tenantLimits.parse({}).startRequestsPerMinute;
  const config: TokenBucketConfig = { capacity: perMinute, refillPerMinute: perMinute };
  return updateDocument<StartRateLimitDoc, StartRateLimitDecision>(deps, 'coordination', tenantId, START_RATE_LIMIT_ID, (doc, nowMs) => {
    const taken = takeToken(doc?.bucket ?? fullBucket(config, nowMs), config, nowMs);
    if (!taken.granted) return { result: { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(taken.waitMs / 1000)) } };
    return { result: { allowed: true }, next: { id: START_RATE_LIMIT_ID, tenantId, bucket: taken.state } };
  });
}
