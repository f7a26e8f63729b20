import { StoreError } from './storeError.js';

/** 404: no such document. */
export class NotFoundError extends StoreError {
  constructor(readonly container: string, readonly id: string) {
    super(`${container}/${id} does not exist`, 404);
  }
}
