/** Pure conversions between node:http messages and the RPC shapes the programming model expects. */
import type { IncomingHttpHeaders } from 'node:http';
import type { RpcHttpCookie, RpcInvocationResponse, RpcTypedData } from './functionsCore.js';
import type { InvocationInput } from './invoker.js';

export interface IncomingRequest {
  method: string;
  /** Absolute URL, including the query string (the library reads `query` from it). */
  url: string;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  body: Buffer;
}

export interface OutgoingResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The body goes as raw bytes, so signature checks over the exact payload keep working. */
export function httpInvocationInput(triggerBindingName: string, request: IncomingRequest): InvocationInput {
  const http = {
    method: request.method,
    url: request.url,
    headers: flattenHeaders(request.headers),
    params: request.params,
    body: { bytes: request.body },
  };
  return { inputData: [{ name: triggerBindingName, data: { http } }], triggerMetadata: {} };
}

function bodyBytes(body: RpcTypedData | undefined): Buffer {
  if (!body) return Buffer.alloc(0);
  if (body.bytes) return Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength);
  if (body.string !== undefined) return Buffer.from(body.string);
  if (body.json !== undefined) return Buffer.from(body.json);
  return Buffer.alloc(0);
}

export function setCookieHeader(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path) parts.push(`Path=${cookie.path.value}`);
  if (cookie.expires) parts.push(`Expires=${new Date(cookie.expires.value.seconds * 1000).toUTCString()}`);
  if (cookie.maxAge) parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  const sameSite = { lax: 'Lax', strict: 'Strict', explicitNone: 'None', none: undefined }[cookie.sameSite ?? 'none'];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
}

/** A function that returns nothing answers 204, as under the Functions host. */
export function httpResponseFrom(response: RpcInvocationResponse): OutgoingResponse {
  const http = response.returnValue?.http;
  if (!http) return { status: 204, headers: {}, body: Buffer.alloc(0) };
  const headers: Record<string, string | string[]> = { ...http.headers };
  const cookies = (http.cookies ?? []).map(setCookieHeader);
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  return { status: Number(http.statusCode ?? 200), headers, body: bodyBytes(http.body) };
}

/** What a caller sees when a handler throws: nothing about the error itself. */
export function internalErrorResponse(invocationId: string): OutgoingResponse {
  const body = { error: { code: 'internal', message: `The function failed. See the host log for invocation ${invocationId}.` } };
  return { status: 500, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
}

export function jsonResponse(status: number, code: string, message: string): OutgoingResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ error: { code, message } })),
  };
}
