/**
 * HTTP streaming as the Functions host does it for an app that calls
 * `app.setup({ enableHttpStream: true })`: the library then serves an HTTP proxy inside the
 * worker (its `HttpUri` capability) and takes the request from there instead of from the RPC
 * message; the host sends the request to that proxy with the invocation id and passes the answer
 * on chunk by chunk as it arrives, so a server-sent event reaches the client when it is written.
 */
import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ProgrammingModel, RpcTypedData } from './functionsCore.js';
import type { IncomingRequest } from './httpMessages.js';
import type { Invoke } from './invoker.js';
import type { LoadedFunction } from './loadFunctions.js';

/** The library's proxy URL when the app turned streaming on (the worker asks once, at start). */
export async function httpStreamUri(model: ProgrammingModel): Promise<string | undefined> {
  const capabilities = await model.getCapabilities?.({});
  return capabilities?.['HttpUri'];
}

/** Hop-by-hop headers are the proxy connection's own, not the answer's. */
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'x-ms-invocation-id', 'content-length']);

/**
 * Pure: the trigger metadata the library reads a streamed request's headers and route params
 * from (the real host sends them there too; the query comes from the URL).
 */
export function streamTriggerMetadata(request: IncomingRequest): Record<string, RpcTypedData> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const metadata: Record<string, RpcTypedData> = { Headers: { json: JSON.stringify(headers) } };
  for (const [name, value] of Object.entries(request.params)) metadata[name] = { string: value };
  return metadata;
}

/**
 * A connection per request: a kept-alive socket the proxy closes as it is reused would fail a
 * request for nothing, and a connection on 127.0.0.1 costs little.
 */
const proxyAgent = new Agent({ keepAlive: false });

/** How long after the handler returned its answer may still be on its way from the proxy. */
const ANSWER_GRACE_MS = 2_000;

/**
 * Invokes `fn` for `request` in streaming mode and pipes the proxy's answer to `res`. Rejects
 * (before anything is sent) when the invocation fails; a handler that returns nothing answers 204.
 */
export async function invokeStreaming(
  streamUri: string,
  fn: LoadedFunction,
  request: IncomingRequest,
  res: ServerResponse,
  invoke: Invoke,
  invocationId: string,
): Promise<void> {
  const target = new URL(request.url);
  const proxied = httpRequest(new URL(`${target.pathname}${target.search}`, streamUri), {
    agent: proxyAgent,
    method: request.method,
    headers: {
      ...request.headers,
      'content-length': String(request.body.length),
      'x-ms-invocation-id': invocationId,
      'x-forwarded-host': target.host,
      'x-forwarded-proto': target.protocol.replace(':', ''),
    },
  });
  const answer = new Promise<IncomingMessage>((resolve, reject) => {
    proxied.once('response', (response) => {
      // A cut exchange (the client gone) errors the answer too: it just ends, it is not a crash.
      response.on('error', () => undefined);
      resolve(response);
    });
    // `on`, not `once`: a second error (a destroy after a reset) must not go unhandled.
    proxied.on('error', reject);
  });
  // Either may lose the race below and fail later (the exchange cut): that is not an error of its own.
  answer.catch(() => undefined);
  // The client going away ends the proxied exchange too.
  res.once('close', () => proxied.destroy());
  proxied.end(request.body);

  const input = { inputData: [{ name: fn.triggerBindingName, data: { http: { method: request.method, url: request.url } } }], triggerMetadata: streamTriggerMetadata(request) };
  const invocation = invoke(fn, input, invocationId);
  const returned = invocation.then(() => new Promise<'none'>((resolve) => setTimeout(() => resolve('none'), ANSWER_GRACE_MS).unref()));
  returned.catch(() => undefined);
  let first: IncomingMessage | 'none';
  try {
    first = await Promise.race([answer, returned]);
  } catch (error) {
    proxied.destroy();
    throw error;
  }
  if (first === 'none') {
    proxied.destroy();
    res.writeHead(204).end();
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(first.headers)) {
    if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
  }
  res.writeHead(first.statusCode ?? 200, headers);
  // Each chunk is written as it arrives: no buffering between the handler and the client.
  first.on('data', (chunk: Buffer) => res.write(chunk));
  const ended = new Promise<'ended'>((resolve) => {
    first.once('end', () => resolve('ended'));
    first.once('close', () => resolve('ended'));
  });
  // A body that fails half-way leaves the proxy's answer open: the invocation's failure ends it.
  const outcome = await Promise.race([ended, invocation.then(() => ended, () => 'failed' as const)]);
  if (outcome === 'failed') {
    proxied.destroy();
    await invocation; // rethrows: the server logs it and cuts the connection (the status is long sent)
  }
  res.end();
}
