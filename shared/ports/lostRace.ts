import { BatchError } from './batchError.js';
import { ConflictError } from './conflictError.js';
import { NotFoundError } from './notFoundError.js';
import { PreconditionFailedError } from './preconditionFailedError.js';

/** A transactional batch failed because its operation at `index` found the id taken (a marker written before, say). */
export function isConflictAt(error: unknown, index: number): boolean {
  return error instanceof BatchError && error.operationIndex === index && error.cause instanceof ConflictError;
}

/**
 * A conditional write lost to another writer: the id was taken (409), the document changed (412)
 * or went (404) since it was read, alone or inside a transactional batch. Re-read and decide again.
 */
export function isLostRace(error: unknown): boolean {
  const cause = error instanceof BatchError ? error.cause : error;
  return cause instanceof ConflictError || cause instanceof PreconditionFailedError || cause instanceof NotFoundError;
}
