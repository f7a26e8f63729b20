import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectorSpec } from '../../shared/connectors/spec/connectorSpec.js';
import { SpecConnector } from '../../shared/connectors/spec/specConnector.js';
import type { SpecHooks } from '../../shared/connectors/spec/specHooks.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

/**
 * A search API that takes its paging and modified filter in a JSON body (as HubSpot's does): the
 * spec plans the page, a `shapeList` hook moves it into the body, and the answer is read as the
 * spec says.
 */
const records = Array.from({ length: 25 }, (_, index) => ({ id: String(index + 1), updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString() }));
let server: Server | undefined;
afterEach(async () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function searchApi(bodies: unknown[]): Promise<string> {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const body = JSON.parse(text) as { limit: number; after?: string; since?: number };
      bodies.push({ method: req.method, url: req.url, body });
      const matching = records.filter((record) => body.since === undefined || Date.parse(record.updatedAt) >= body.since);
      const offset = Number(body.after ?? 0);
      const page = matching.slice(offset, offset + body.limit);
      const next = offset + page.length < matching.length ? String(offset + page.length) : undefined;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ results: page, ...(next ? { paging: { next: { after: next } } } : {}) }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const spec = connectorSpec.parse({
  title: 'Search API',
  baseUrl: 'http://placeholder/',
  auth: { kind: 'none' },
  maxPageSize: 10,
  streams: [
    {
      name: 'contacts',
      path: 'contacts/search',
      recordsPath: 'results',
      modifiedField: 'updatedAt',
      paginator: { kind: 'cursor', cursorParam: 'after', sizeParam: 'limit', nextCursorPath: 'paging.next.after' },
      incremental: { param: 'since', format: 'unix-ms' },
    },
  ],
});

/** Every planned parameter goes into the body, numbers as numbers. */
const hooks: SpecHooks = {
  shapeList: (_stream, call) => ({
    ...call,
    method: 'POST',
    params: {},
    body: Object.fromEntries(Object.entries(call.params).map(([name, value]) => [name, name === 'after' ? value : Number(value)])),
  }),
};

describe('a list request shaped by a hook', () => {
  it('posts the planned paging and modified filter as a JSON body and reads the answer as the spec says', async () => {
    const bodies: unknown[] = [];
    const url = await searchApi(bodies);
    const connector = new SpecConnector('search', spec, { baseUrl: url, timeoutMs: 5_000 }, {}, { outbound: loopbackOutbound() }, hooks);
    const since = new Date(Date.parse(records[5]!.updatedAt));
    const read: string[] = [];
    let next: string | undefined;
    for (let page = 1; ; page++) {
      const answer = await connector.listChainedPage({ stream: 'contacts', page, perPage: 10, modifiedAfter: since, ...(next ? { next } : {}) });
      read.push(...answer.records.map((record) => String(record.id)));
      if (!answer.next) break;
      next = answer.next;
    }
    await connector.close();
    expect(read).toEqual(records.slice(5).map((record) => record.id));
    expect(bodies).toEqual([
      { method: 'POST', url: '/contacts/search', body: { limit: 10, since: since.getTime() } },
      { method: 'POST', url: '/contacts/search', body: { after: '10', limit: 10, since: since.getTime() } },
    ]);
  });
});
