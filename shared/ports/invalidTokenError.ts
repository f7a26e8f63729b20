/** A bearer token that did not verify; the reason is for the log, never for the caller. */
export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(`the bearer token was not accepted: ${reason}`);
    this.name = 'InvalidTokenError';
  }
}
