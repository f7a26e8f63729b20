import type { TokenBucketState } from '../../operations/tokenBucket.js';

/** The connection-test bucket of one connection, shared by every instance serving the API. */
export interface ConnectionTestBudgetDoc {
  id: string;
  tenantId: string;
  connectionId: string;
  bucket: TokenBucketState;
}
