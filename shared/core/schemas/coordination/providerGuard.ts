import type { CircuitState } from '../../operations/circuitBreaker.js';
import type { TokenBucketConfig, TokenBucketState } from '../../operations/tokenBucket.js';
import type { ObservedBudget } from '../../operations/providerBudget.js';

/** One document per connection: every worker sharing the store shares its bucket and circuit. */
export interface ProviderGuardDoc {
  id: string;
  tenantId: string;
  connectionId: string;
  circuit: CircuitState;
  bucket?: TokenBucketState;
  /** The limit the last call ran under, so the state view can refill the bucket to now. */
  limit?: TokenBucketConfig;
  /** What the provider's rate-limit headers last said is left (observeBudget keeps it monotone). */
  providerBudget?: ObservedBudget;
}
