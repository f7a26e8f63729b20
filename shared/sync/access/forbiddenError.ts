/** Authenticated, but not allowed this (HTTP 403): the wrong role or the wrong tenant. */
export class ForbiddenError extends Error {
  readonly status = 403;
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}
