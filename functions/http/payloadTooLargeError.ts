/** A request body over its route's limit (HTTP 413), noticed before the rest of it is read. */
export class PayloadTooLargeError extends Error {
  readonly status = 413;
  constructor(readonly limitBytes: number) {
    super(`the body is larger than ${limitBytes} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}
