/** The request cannot be read: not JSON, not UTF-8, the wrong content type, a missing part (HTTP 400). */
export class MalformedRequestError extends Error {
  readonly status = 400;
  constructor(message: string, readonly path = '(body)') {
    super(message);
    this.name = 'MalformedRequestError';
  }
}
