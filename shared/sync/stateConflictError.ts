/** The request is valid but the resource is in a state that does not allow it (HTTP 409). */
export class StateConflictError extends Error {
  readonly status = 409;
  constructor(message: string, readonly currentState: Record<string, unknown>) {
    super(message);
    this.name = 'StateConflictError';
  }
}
