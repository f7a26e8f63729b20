import type { HttpRequest } from '@azure/functions';
import { MalformedRequestError } from '../../shared/sync/malformedRequestError.js';

/** Query parameters as a plain record (the last value wins for repeated keys). */
export function queryParams(request: HttpRequest): Record<string, string> {
  return Object.fromEntries(request.query.entries());
}

/** A route parameter the route template guarantees. */
export function routeParam(request: HttpRequest, name: string): string {
  const value = request.params[name];
  if (value === undefined) throw new MalformedRequestError(`missing route parameter ${name}`, `path.${name}`);
  return value;
}
