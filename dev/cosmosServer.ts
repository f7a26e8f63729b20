import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '@vercel/cosmosdb-server';

/** One request as the server saw it, for tests and benchmarks that count or inspect them. */
export interface CosmosServerRequest {
  method: string;
  /** Path without the query string, e.g. `/dbs/shardsync/colls/shards/docs/d1`. */
  path: string;
  /** Request body as text (queries carry their SQL here); empty for GET/DELETE. */
  body: string;
}

export interface CosmosServer {
  /** Plain HTTP: the SDK accepts an http endpoint, so no certificate or agent is needed. */
  endpoint: string;
  /** Any base64 text is accepted; pass it as `key` with `testServer: true` to createCosmosStore. */
  key: string;
  /** Calls `listener` for every request until the returned function is called. */
  observe(listener: (request: CosmosServerRequest) => void): () => void;
  close(): Promise<void>;
}

/**
 * Starts @vercel/cosmosdb-server (in-memory, tests and demos only) on 127.0.0.1, a free port.
 * Keep-alive matters: without it every request opens a connection (~5x slower).
 */
export async function startCosmosServer(): Promise<CosmosServer> {
  const server = createHttpServer({ keepAlive: true });
  const listeners = new Set<(request: CosmosServerRequest) => void>();
  // Prepended and synchronous: the server's handler attaches its own body reader in this same tick,
  // so both see every chunk. Bodies are read only while someone listens.
  server.prependListener('request', (request: IncomingMessage) => {
    if (listeners.size === 0) return;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen = { method: request.method ?? '', path: (request.url ?? '').split('?')[0]!, body: Buffer.concat(chunks).toString('utf8') };
      for (const listener of listeners) listener(seen);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    key: Buffer.from('shardsync-local').toString('base64'),
    observe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
