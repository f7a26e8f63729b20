/** Serve the app's HTTP-triggered functions on 127.0.0.1 under the route prefix. */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  httpInvocationInput,
  httpResponseFrom,
  internalErrorResponse,
  jsonResponse,
  type OutgoingResponse,
} from './httpMessages.js';
import { invokeStreaming } from './httpStreamProxy.js';
import type { Invoke } from './invoker.js';
import type { LoadedFunction } from './loadFunctions.js';
import { matchRouteTemplate, parseRouteTemplate, selectRoute, type RouteTemplate } from './routeTemplate.js';

export interface HttpServerOptions {
  port: number;
  routePrefix: string;
  functions: readonly LoadedFunction[];
  invoke: Invoke;
  log: (line: string) => void;
  /** The library's HTTP proxy when the app turned streaming on: answers then stream through it. */
  streamUri?: string;
}

export interface RunningHttpServer {
  port: number;
  /** Stop accepting connections and wait for in-flight requests until `deadline` (epoch ms). */
  stop(deadline: number): Promise<void>;
}

interface HttpRoute {
  fn: LoadedFunction;
  route: RouteTemplate;
}

/** Pure: strip the route prefix; undefined when the path is outside it. */
export function pathUnderPrefix(pathname: string, routePrefix: string): string | undefined {
  if (routePrefix === '') return pathname;
  const prefix = `/${routePrefix}`;
  const lower = pathname.toLowerCase();
  if (lower === prefix.toLowerCase()) return '';
  return lower.startsWith(`${prefix.toLowerCase()}/`) ? pathname.slice(prefix.length + 1) : undefined;
}

/** The Functions host's own default cap (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT), for routes that declare none. */
export const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;

class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the body is larger than ${limitBytes} bytes`);
  }
}

/**
 * The request body, refused as soon as it passes `limitBytes`: by its Content-Length before a
 * byte is read, or at the first chunk past the limit; the rest is never read.
 */
function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? NaN) > limitBytes) {
      reject(new BodyTooLargeError(limitBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > limitBytes) {
        req.off('data', onData);
        req.pause();
        reject(new BodyTooLargeError(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, length)));
    req.on('error', reject);
  });
}

/** How long a refused upload may go on arriving (and be thrown away) before its connection is cut. */
const LINGER_MS = 2_000;

/**
 * Answers 413 at once. What is still arriving is thrown away as it comes (never kept) for a short
 * while, then the connection is cut: closing a socket with unread data resets it, and the client,
 * still sending, could lose the answer.
 */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, limitBytes: number): void {
  const response = jsonResponse(413, 'payload_too_large', `the body is larger than ${limitBytes} bytes`);
  res.writeHead(413, { ...response.headers, 'content-length': String(response.body.length) });
  res.end(response.body);
  const cut = setTimeout(() => req.socket.destroy(), LINGER_MS);
  cut.unref();
  req.once('end', () => clearTimeout(cut));
  req.resume();
}

function send(res: ServerResponse, response: OutgoingResponse): void {
  res.writeHead(response.status, { ...response.headers, 'content-length': String(response.body.length) });
  res.end(response.body);
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const routes: HttpRoute[] = options.functions
    .filter((fn) => fn.trigger === 'httpTrigger')
    .map((fn) => ({ fn, route: parseRouteTemplate(fn.route ?? fn.name) }));
  const inFlight = new Set<Promise<void>>();

  async function handle(req: IncomingMessage, res: ServerResponse, port: number): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const path = pathUnderPrefix(url.pathname, options.routePrefix);
    const matching = path === undefined ? [] : routes.filter((r) => matchRouteTemplate(r.route, path));
    const selected = path === undefined ? undefined : selectRoute(matching.filter((r) => r.fn.methods?.includes(method)), path);
    if (!selected) {
      req.resume();
      // The Functions host answers 404 for both; 405 tells a developer more.
      const response = matching.length > 0
        ? jsonResponse(405, 'method_not_allowed', `${method} is not allowed on this route`)
        : jsonResponse(404, 'not_found', 'no function serves this route');
      send(res, response);
      return;
    }
    const { fn } = selected.candidate;
    const invocationId = randomUUID();
    try {
      let body: Buffer;
      try {
        body = await readBody(req, fn.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        refuseTooLarge(req, res, error.limitBytes);
        return;
      }
      const incoming = { method, url: url.href, headers: req.headers, params: selected.params, body };
      if (options.streamUri) {
        await invokeStreaming(options.streamUri, fn, incoming, res, options.invoke, invocationId);
        return;
      }
      const input = httpInvocationInput(fn.triggerBindingName, incoming);
      send(res, httpResponseFrom(await options.invoke(fn, input, invocationId)));
    } catch (error) {
      options.log(`[${fn.name}] invocation ${invocationId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) send(res, internalErrorResponse(invocationId));
      else res.destroy();
    }
  }

  const server: Server = createServer((req, res) => {
    const done = handle(req, res, port).finally(() => inFlight.delete(done));
    inFlight.add(done);
  });
  // Node's 5 s default closes an idle keep-alive socket while a busy client (a test worker stalled
  // for seconds on a loaded machine) is about to reuse it: "other side closed". Azure's front end
  // keeps idle connections far longer; stop() closes idle ones at once anyway.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    async stop(deadline) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref());
      await Promise.race([Promise.all([...inFlight]), timeout]);
      server.closeAllConnections();
      await closed;
    },
  };
}
