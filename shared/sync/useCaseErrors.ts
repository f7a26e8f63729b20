/** Errors use cases throw for bad requests; the HTTP layer maps each to its status code. */
export interface IssueDetail {
  /** Where: a dotted path into the request body, or `path.<param>` / `query.<name>`. */
  path: string;
  message: string;
}

export class UnknownResourceError extends Error {
  readonly status = 404;
  constructor(readonly resource: string, readonly resourceId: string) {
    super(`${resource} "${resourceId}" does not exist`);
    this.name = 'UnknownResourceError';
  }
}

export class InvalidInputError extends Error {
  readonly status = 422;
  constructor(readonly issues: IssueDetail[]) {
    super(issues.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; '));
    this.name = 'InvalidInputError';
  }
}

export class MalformedRequestError extends Error {
  readonly status = 400;
  constructor(message: string, readonly path = '(body)') {
    super(message);
    this.name = 'MalformedRequestError';
  }
}

/** The request is valid but the resource is in a state that does not allow it (HTTP 409). */
export class StateConflictError extends Error {
  readonly status = 409;
  constructor(message: string, readonly currentState: Record<string, unknown>) {
    super(message);
    this.name = 'StateConflictError';
  }
}

/** Too many requests of this kind for the tenant right now (HTTP 429 with Retry-After). */
export class TooManyRequestsError extends Error {
  readonly status = 429;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
    this.name = 'TooManyRequestsError';
  }
}
