/** Too many requests of this kind for the tenant right now (HTTP 429 with Retry-After). */
export class TooManyRequestsError extends Error {
  readonly status = 429;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
    this.name = 'TooManyRequestsError';
  }
}
