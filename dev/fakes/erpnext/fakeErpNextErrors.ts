/**
 * A Frappe exception as the REST API answers it (frappe/app.py `handle_exception`): the status of
 * its class and a body `{exc_type, exception, exc, _server_messages}`, where `_server_messages` is
 * a JSON list of JSON-encoded message objects, sent as text.
 */
export class FrappeException extends Error {
  constructor(
    readonly status: number,
    readonly excType: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      exc_type: this.excType,
      exception: `frappe.exceptions.${this.excType}: ${this.message}`,
      exc: JSON.stringify([`Traceback (most recent call last):\n  File "apps/frappe/frappe/app.py", line 114, in application\nfrappe.exceptions.${this.excType}: ${this.message}\n`]),
      _server_messages: JSON.stringify([JSON.stringify({ message: this.message, title: 'Message', indicator: 'red', raise_exception: 1 })]),
    };
  }
}

export const authenticationError = () => new FrappeException(401, 'AuthenticationError', 'Invalid API key or secret');
export const permissionError = (doctype: string) => new FrappeException(403, 'PermissionError', `User does not have permission to read ${doctype}`);
export const doesNotExist = (doctype: string, name: string) => new FrappeException(404, 'DoesNotExistError', `${doctype} ${name} not found`);
export const duplicateEntry = (doctype: string, name: string) => new FrappeException(409, 'DuplicateEntryError', `${doctype} ${name} already exists`);
export const mandatoryError = (doctype: string, field: string) => new FrappeException(417, 'MandatoryError', `[${doctype}, new]: ${field}`);
export const invalidJson = (param: string) => new FrappeException(417, 'ValidationError', `${param} is not valid JSON`);
export const timestampMismatch = (stored: string, sent: string) =>
  new FrappeException(417, 'TimestampMismatchError', `Error: Document has been modified after you have opened it (${stored}, ${sent}). Please refresh to get the latest document.`);
export const tooManyRequests = (retryAfterSeconds: number, headers: Record<string, string>) =>
  new FrappeException(429, 'TooManyRequestsError', 'You hit the rate limit because of too many requests. Please try after sometime.', { 'retry-after': String(retryAfterSeconds), ...headers });
