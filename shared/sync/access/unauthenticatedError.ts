/** No credentials, or credentials that prove nothing (HTTP 401). The message never says which part was wrong. */
export class UnauthenticatedError extends Error {
  readonly status = 401;
  constructor(message = 'send Authorization: Bearer <API key or Entra ID token>') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}
