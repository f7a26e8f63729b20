import { ConflictError } from '../../ports/conflictError.js';
import { NotFoundError } from '../../ports/notFoundError.js';
import { PreconditionFailedError } from '../../ports/preconditionFailedError.js';
import { StoreError } from '../../ports/storeError.js';

/** The HTTP status of a Cosmos SDK error (ErrorResponse.code), if it has one. */
export function cosmosStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The domain error for a Cosmos status; callers never see SDK errors for a status the service answered. */
export function storeErrorFor(status: number, container: string, id: string, message = `Cosmos DB answered ${status}`): StoreError {
  switch (status) {
    case 404:
      return new NotFoundError(container, id);
    case 409:
      return new ConflictError(container, id);
    case 412:
      return new PreconditionFailedError(container, id);
    default:
      return new StoreError(`${container}/${id}: ${message}`, status);
  }
}

/** Maps an SDK error with a status to its domain error; anything else (network, bugs) passes unchanged. */
export function toStoreError(error: unknown, container: string, id: string): unknown {
  if (error instanceof StoreError) return error;
  const status = cosmosStatus(error);
  if (status === undefined) return error;
  const message = error instanceof Error ? error.message.split('\n')[0] : undefined;
  return storeErrorFor(status, container, id, message);
}
