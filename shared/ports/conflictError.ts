import { StoreError } from './storeError.js';

/** 409: a document with this id already exists. */
export class ConflictError extends StoreError {
  constructor(readonly container: string, readonly id: string) {
    super(`${container}/${id} already exists`, 409);
  }
}
