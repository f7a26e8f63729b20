import { StoreError } from './storeError.js';

/** 412: the document changed since it was read (ETag mismatch). */
export class PreconditionFailedError extends StoreError {
  constructor(readonly container: string, readonly id: string) {
    super(`${container}/${id} was changed by someone else`, 412);
  }
}
