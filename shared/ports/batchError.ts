import { StoreError } from './storeError.js';

/** A transactional batch failed; nothing was written. `cause` is the failing operation's error. */
export class BatchError extends StoreError {
  constructor(readonly operationIndex: number, override readonly cause: StoreError) {
    super(`batch operation ${operationIndex} failed: ${cause.message}`, cause.statusCode);
  }
}
