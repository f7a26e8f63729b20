/**
 * An Odoo exception as the server reports it: its qualified class name (`data.name` in JSON-RPC,
 * `name` in JSON-2), message and arguments. `status` is JSON-2's HTTP status for it.
 */
export class OdooException extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }

  /** JSON-2's error body: `{name, message, arguments, context, debug}`. */
  json2Body(): Record<string, unknown> {
    return { name: this.name, message: this.message, arguments: [this.message], context: {}, debug: `Traceback (most recent call last):\n${this.name}: ${this.message}` };
  }

  /** JSON-RPC's error member (inside an HTTP 200): code 200 for server errors, 100 for a lost session. */
  jsonRpcError(): Record<string, unknown> {
    return { code: this.name === 'odoo.http.SessionExpiredException' ? 100 : 200, message: 'Odoo Server Error', data: this.json2Body() };
  }
}

/** JSON-2's answer to a missing or wrong key (werkzeug's Unauthorized, "Invalid apikey"). */
export const invalidApiKey = () => new OdooException('werkzeug.exceptions.Unauthorized', 'Invalid apikey', 401);
export const accessDenied = () => new OdooException('odoo.exceptions.AccessDenied', 'Access Denied', 401);
export const accessError = (model: string, operation: string) =>
  new OdooException('odoo.exceptions.AccessError', `You are not allowed to ${operation} '${model}' records.`, 403);
export const missingError = (model: string, ids: readonly number[]) =>
  new OdooException('odoo.exceptions.MissingError', `Record does not exist or has been deleted.\n(Record: ${model}(${ids.join(', ')},), User: 2)`, 404);
export const validationError = (message: string) => new OdooException('odoo.exceptions.ValidationError', message, 422);
export const userError = (message: string) => new OdooException('odoo.exceptions.UserError', message, 422);
export const valueError = (message: string) => new OdooException('builtins.ValueError', message, 422);
export const notFound = (what: string) => new OdooException('werkzeug.exceptions.NotFound', `404 Not Found: ${what}`, 404);
export const serializationFailure = () =>
  new OdooException('psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update', 500);
export const serverError = () => new OdooException('builtins.Exception', 'Internal Server Error', 500);
