/** The request names a resource that does not exist (HTTP 404). */
export class UnknownResourceError extends Error {
  readonly status = 404;
  constructor(readonly resource: string, readonly resourceId: string) {
    super(`${resource} "${resourceId}" does not exist`);
    this.name = 'UnknownResourceError';
  }
}
