import type { HttpRequest } from '@azure/functions';
import { MalformedRequestError } from '../../shared/sync/malformedRequestError.js';
import { refuseTooDeep } from '../../shared/sync/security/refuseTooDeep.js';
import { PayloadTooLargeError } from './payloadTooLargeError.js';

/**
 * The body's bytes, refused with a 413 as soon as they pass `limitBytes`: a `Content-Length` over
 * the limit before anything is read, a streamed body at the first chunk past it.
 */
export async function readBodyBytes(request: HttpRequest, limitBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limitBytes) throw new PayloadTooLargeError(limitBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limitBytes) {
      await reader.cancel();
      throw new PayloadTooLargeError(limitBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, length);
}

/**
 * The request body as JSON, within the route's size limit and nested at most MAX_JSON_DEPTH
 * levels, so nothing too deep is ever handled or stored. An empty body is `{}`; bytes that are not
 * UTF-8 or JSON, or a non-JSON content type, are a 400 that says where.
 */
export async function readJsonBody(request: HttpRequest, limitBytes: number): Promise<unknown> {
  const bytes = await readBodyBytes(request, limitBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new MalformedRequestError('the body is not valid UTF-8');
  }
  if (text.trim() === '') return {};
  const type = request.headers.get('content-type');
  if (type && !/\bjson\b/i.test(type)) {
    throw new MalformedRequestError(`content-type must be application/json, not "${type.slice(0, 100)}"`, 'header.content-type');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new MalformedRequestError(`the body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  refuseTooDeep(body);
  return body;
}
