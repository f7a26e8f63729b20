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
import type { Invoke } from './invoker.js';
import type { LoadedFunction } from './loadFunctions.js';
import { matchRouteTemplate, parseRouteTemplate, selectRoute, type RouteTemplate } from './routeTemplate.js';

export interface HttpServerOptions {
  port: number;
  routePrefix: string;
  functions: readonly LoadedFunction[];
  invoke: Invoke;
  log: (line: string) => void;
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

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
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
      const body = await readBody(req);
      const input = httpInvocationInput(fn.triggerBindingName, {
        method,
        url: url.href,
        headers: req.headers,
        params: selected.params,
        body,
      });
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
