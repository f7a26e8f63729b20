/** Typed errors every Store adapter throws, so use cases can react without knowing the adapter. */
export class StoreError extends Error {
  constructor(message: string, readonly statusCode: number) {
    super(message);
    this.name = new.target.name;
  }
}

/** 409: a document with this id already exists. */
export class ConflictError extends StoreError {
  constructor(readonly container: string, readonly id: string) {
    super(`${container}/${id} already exists`, 409);
  }
}

/** 404: no such document. */
export class NotFoundError extends StoreError {
  constructor(readonly container: string, readonly id: string) {
    super(`${container}/${id} does not exist`, 404);
  }
}

/** 412: the document changed since it was read (ETag mismatch). */
export class PreconditionFailedError extends StoreError {
  constructor(readonly container: string, readonly id: string) {
    super(`${container}/${id} was changed by someone else`, 412);
  }
}

/** A transactional batch failed; nothing was written. `cause` is the failing operation's error. */
export class BatchError extends StoreError {
  constructor(readonly operationIndex: number, override readonly cause: StoreError) {
    super(`batch operation ${operationIndex} failed: ${cause.message}`, cause.statusCode);
  }
}

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
