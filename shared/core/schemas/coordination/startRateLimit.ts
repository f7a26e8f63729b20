import type { TokenBucketState } from '../../operations/tokenBucket.js';

/** One start-request bucket per tenant and budget in its own partition, shared by every instance serving the API. */
export interface StartRateLimitDoc {
  id: string;
  tenantId: string;
  bucket: TokenBucketState;
}
