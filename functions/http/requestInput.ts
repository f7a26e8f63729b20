import type { HttpRequest } from '@azure/functions';
import { MalformedRequestError } from '../../shared/sync/useCaseErrors.js';

/** The request body as JSON; an empty body is `{}`. Malformed JSON is a 400 that says where. */
export async function readJsonBody(request: HttpRequest): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  const type = request.headers.get('content-type');
  if (type && !/\bjson\b/i.test(type)) {
    throw new MalformedRequestError(`content-type must be application/json, not "${type}"`, 'header.content-type');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedRequestError(`the body is not valid JSON: ${(error as Error).message}`);
  }
}

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

/**
 * Who is acting, for the audit log: the signed-in principal App Service authentication puts in
 * front of the app, else what a trusted caller declares in `x-shardsync-actor`.
 */
export function operator(request: HttpRequest): { type: 'operator'; id?: string } {
  const id = request.headers.get('x-ms-client-principal-name') ?? request.headers.get('x-shardsync-actor');
  return id ? { type: 'operator', id: id.slice(0, 200) } : { type: 'operator' };
}
