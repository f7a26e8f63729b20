import type { ActivityEntry } from '../../core/schemas/activity.js';
import type { ConnectionTestResult } from '../../core/schemas/answers/connectionTest.js';
import { fullBucket, takeToken, type TokenBucketConfig } from '../../core/operations/tokenBucket.js';
import type { ConnectionTestBudgetDoc } from '../../core/schemas/coordination/connectionTestBudget.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { requireConnection } from './connections.js';
import { runConnectionTest } from './connectionTest.js';
import { updateDocument } from '../documentUpdate.js';
import { TooManyRequestsError } from '../tooManyRequestsError.js';

/**
 * Tests of one connection that may reach its provider: 3 at once, then one every 10 s. A test
 * bypasses the circuit breaker (see runConnectionTest), so this is what keeps a script or an
 * impatient button from hammering a store that is struggling already.
 */
export const CONNECTION_TEST_LIMIT: TokenBucketConfig = { capacity: 3, refillPerMinute: 6 };

/**
 * `POST …/connections/{id}/test`: checks reachability and credentials now with one provider call
 * and answers what it found; a provider that refuses or cannot be reached is an answer (200 with
 * `ok: false`), not an error. Over the connection's test limit: TooManyRequestsError (429 with
 * Retry-After), and the provider is not called. Every request is a test of its own (nothing
 * redelivers it); the limit's document is written conditionally (ETag), so instances share it exactly.
 */
export async function testConnection(
  deps: SyncDeps,
  tenantId: string,
  connectionId: string,
  actor: ActivityEntry['actor'] = { type: 'operator' },
): Promise<ConnectionTestResult> {
  await requireTenant(deps, tenantId);
  const connection = await requireConnection(deps, tenantId, connectionId);
  const id = `connection-test:${connectionId}`;
  const waitMs = await updateDocument<ConnectionTestBudgetDoc, number>(deps, 'coordination', tenantId, id, (doc, nowMs) => {
    const taken = takeToken(doc?.bucket ?? fullBucket(CONNECTION_TEST_LIMIT, nowMs), CONNECTION_TEST_LIMIT, nowMs);
    if (!taken.granted) return { result: taken.waitMs };
    return { result: 0, next: { id, tenantId, connectionId, bucket: taken.state } };
  });
  if (waitMs > 0) {
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new TooManyRequestsError(`connection "${connectionId}" was tested just now; test it again in ${retryAfterSeconds} s`, retryAfterSeconds);
  }
  return runConnectionTest(deps, connection, actor, 'request');
}
