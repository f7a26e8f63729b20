import { randomUUID } from 'node:crypto';
import { DefaultAzureCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCosmosServer, type CosmosServer, type CosmosServerRequest } from '../../dev/cosmosServer.js';
import { undoOperations, type DocumentState, type KnownDocuments, type PlannedOperation } from '../../shared/adapters/azure/cosmosBatch.js';
import { loadContainerDefinitions } from '../../shared/adapters/azure/cosmosContainers.js';
import { storeErrorFor, toStoreError } from '../../shared/adapters/azure/cosmosErrors.js';
import { planIncrement } from '../../shared/adapters/azure/cosmosIncrement.js';
import { buildQuerySql } from '../../shared/adapters/azure/cosmosQuery.js';
import { createCosmosStore, partitionKeyFor, type CosmosStore } from '../../shared/adapters/azure/cosmosStore.js';
import { backoffDelayMs } from '../../shared/adapters/azure/cosmosThrottle.js';
import { CONTAINERS, type Doc } from '../../shared/ports/store.js';
import { ConflictError } from '../../shared/ports/conflictError.js';
import { NotFoundError } from '../../shared/ports/notFoundError.js';
import { PreconditionFailedError } from '../../shared/ports/preconditionFailedError.js';
import { StoreError } from '../../shared/ports/storeError.js';
import { describeStoreContract } from './storeContract.js';

let server: CosmosServer;
beforeAll(async () => {
  server = await startCosmosServer();
});
afterAll(async () => {
  await server.close();
});

const localStore = (): Promise<CosmosStore> =>
  createCosmosStore({ endpoint: server.endpoint, key: server.key, databaseId: 'shardsync', ensure: true, testServer: true });

describeStoreContract('CosmosStore on @vercel/cosmosdb-server', async () => {
  const store = await localStore();
  return { store, close: () => store.close() };
});

const realEndpoint = process.env.SHARDSYNC_TEST_COSMOS_ENDPOINT;
describe.skipIf(!realEndpoint)('real Cosmos DB account (SHARDSYNC_TEST_COSMOS_ENDPOINT)', () => {
  describeStoreContract('CosmosStore on a real account', async () => {
    const key = process.env.SHARDSYNC_TEST_COSMOS_KEY;
    const store = await createCosmosStore({
      endpoint: realEndpoint!,
      ...(key ? { key } : { credential: new DefaultAzureCredential() }),
      databaseId: process.env.SHARDSYNC_TEST_COSMOS_DATABASE ?? 'shardsync-test',
      ensure: true,
    });
    return { store, close: () => store.close() };
  });
});

interface Counter extends Doc {
  counts?: { done?: number };
}

describe('CosmosStore specifics (test server)', () => {
  let store: CosmosStore;
  let seen: CosmosServerRequest[] = [];
  let stopObserving: () => void;
  const tenant = (): string => `t-${randomUUID()}`;

  beforeAll(async () => {
    store = await localStore();
    stopObserving = server.observe((request) => seen.push(request));
  });
  afterAll(async () => {
    stopObserving();
    await store.close();
  });

  async function requestsOf(action: () => Promise<unknown>): Promise<CosmosServerRequest[]> {
    seen = [];
    await action();
    return seen;
  }

  it('every query sent filters by tenant in its SQL (the server ignores the partitionKey option)', async () => {
    const tenantId = tenant();
    const requests = await requestsOf(async () => {
      await store.batch('shards', tenantId, [{ op: 'create', doc: { id: 'a', tenantId } }]);
      await store.query('shards', tenantId);
      const first = await store.query('shards', tenantId, { filters: [{ path: 'tags', op: 'arrayContains', match: { system: 'woo' } }] }, { maxItems: 1 });
      await store.query('shards', tenantId, { orderBy: { path: 'rank', direction: 'desc' } }, { maxItems: 1 });
      if (first.continuationToken) await store.query('shards', tenantId, {}, { continuationToken: first.continuationToken });
    });
    const queries = requests.filter((request) => request.body.includes('"query"'));
    expect(queries.length).toBeGreaterThanOrEqual(4);
    for (const query of queries) expect(query.body).toContain('c.tenantId = @tenantId');
  });

  it('counts requests: a read is 1, an increment 2 (read + patch), a batch of 100 creates 3 (query plan + query + batch)', async () => {
    const tenantId = tenant();
    await store.create('shards', { id: 'r', tenantId });
    expect(await requestsOf(() => store.read('shards', tenantId, 'r'))).toHaveLength(1);
    expect((await requestsOf(() => store.increment('shards', tenantId, 'r', { n: 1 }))).map((r) => r.method)).toEqual(['GET', 'PATCH']);
    const creates = Array.from({ length: 100 }, (_, i) => ({ op: 'create' as const, doc: { id: `b${i}`, tenantId } }));
    const batch = await requestsOf(() => store.batch('shards', tenantId, creates));
    expect(batch.map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
  });

  it('maps 409, 412 and 404 to the domain errors', async () => {
    const tenantId = tenant();
    const doc = await store.create<Counter>('failures', { id: 'm', tenantId });
    await expect(store.create('failures', { id: 'm', tenantId })).rejects.toBeInstanceOf(ConflictError);
    await expect(store.replace('failures', { id: 'm', tenantId }, { ifMatch: 'stale' })).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(store.upsert('failures', { id: 'ghost', tenantId }, { ifMatch: doc._etag })).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(store.replace('failures', { id: 'ghost', tenantId })).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.increment('failures', tenantId, 'ghost', { n: 1 })).rejects.toBeInstanceOf(NotFoundError);
    expect(storeErrorFor(503, 'failures', 'm')).toMatchObject({ statusCode: 503 });
    expect(toStoreError(Object.assign(new Error('x'), { code: 412 }), 'failures', 'm')).toBeInstanceOf(PreconditionFailedError);
    const network = new Error('ECONNRESET');
    expect(toStoreError(network, 'failures', 'm')).toBe(network);
  });

  it('a bad continuation token is a 400, also one from another query', async () => {
    const tenantId = tenant();
    for (const id of ['a', 'b', 'c']) await store.create('shards', { id, tenantId });
    const first = await store.query('shards', tenantId, {}, { maxItems: 1 });
    for (const [query, token] of [
      [{}, 'garbage'],
      [{ orderBy: { path: 'id', direction: 'desc' } }, first.continuationToken],
    ] as const) {
      const error = await store.query('shards', tenantId, query, { continuationToken: token! }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).statusCode).toBe(400);
    }
  });

  it('paths are validated, so no SQL can be injected through them', () => {
    for (const path of ['a b', 'a"]) OR 1=1 --', 'a..b', '__proto__', '']) {
      expect(() => buildQuerySql('t', { filters: [{ path, op: '=', value: 1 }] }, 0)).toThrow(StoreError);
    }
    const { query, parameters } = buildQuerySql('t', { filters: [{ path: 'tags.0.code', op: '=', value: "x' OR 1=1" }] }, 0);
    expect(query).toContain('c["tags"][0]["code"] = @p2');
    expect(parameters).toContainEqual({ name: '@p2', value: "x' OR 1=1" });
  });

  it('concurrent batches that increment one document count every time (guarded replace, retried)', async () => {
    const tenantId = tenant();
    await store.create<Counter>('executions', { id: 'e', tenantId });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store.batch('executions', tenantId, [
          { op: 'create', doc: { id: `marker-${i}`, tenantId } },
          { op: 'increment', id: 'e', increments: { 'counts.done': 1 } },
        ]),
      ),
    );
    expect((await store.read<Counter>('executions', tenantId, 'e'))?.counts?.done).toBe(12);
    expect((await store.query('executions', tenantId)).items).toHaveLength(13);
  });

  it('the partition key is the tenant id for every container, as containers.json declares', () => {
    const definitions = loadContainerDefinitions();
    for (const container of CONTAINERS) {
      expect(definitions.get(container)?.partitionKeyPaths).toEqual(['/tenantId']);
      expect(partitionKeyFor(container, 'tenant-1')).toBe('tenant-1');
    }
  });
});

describe('Cosmos adapter decisions', () => {
  it('an increment under a missing parent sets the new subtree, conditional on the ETag', () => {
    const flat = planIncrement({ id: 'a', counts: { done: 1 } }, { 'counts.done': 2, total: 1 });
    expect(flat.operations).toEqual([
      { op: 'incr', path: '/counts/done', value: 2 },
      { op: 'incr', path: '/total', value: 1 },
    ]);
    expect(flat.conditional).toBe(false);
    const nested = planIncrement({ id: 'a', streams: {} }, { 'streams.s.counts.done': 1, 'streams.s.counts.failed': 2 });
    expect(nested.operations).toEqual([{ op: 'set', path: '/streams/s', value: { counts: { done: 1, failed: 2 } } }]);
    expect(nested.conditional).toBe(true);
    expect(() => planIncrement({ id: 'a', name: 'x' }, { name: 1 })).toThrow(StoreError);
  });

  it('undo restores what the test server applied before a failing operation', () => {
    const planned: PlannedOperation[] = [
      { input: { operationType: 'Create', resourceBody: { id: 'new' } }, source: 0, id: 'new' },
      { input: { operationType: 'Replace', id: 'old', resourceBody: { id: 'old', v: 2 } }, source: 1, id: 'old' },
      { input: { operationType: 'Delete', id: 'gone' }, source: 2, id: 'gone' },
      { input: { operationType: 'Create', resourceBody: { id: 'dup' } }, source: 3, id: 'dup' },
    ];
    const known: KnownDocuments = new Map<string, DocumentState>([
      ['new', { body: undefined, etag: undefined }],
      ['old', { body: { id: 'old', v: 1 }, etag: 'o1' }],
      ['gone', { body: { id: 'gone' }, etag: 'g1' }],
    ]);
    const results = [{ statusCode: 201, requestCharge: 1, eTag: 'n2' }, { statusCode: 200, requestCharge: 1, eTag: 'o2' }, { statusCode: 204, requestCharge: 1 }];
    expect(undoOperations(planned, results, 3, known, 't')).toEqual([
      { operationType: 'Delete', id: 'new', partitionKey: 't', ifMatch: 'n2' },
      { operationType: 'Replace', id: 'old', resourceBody: { id: 'old', v: 1 }, partitionKey: 't', ifMatch: 'o2' },
      { operationType: 'Create', resourceBody: { id: 'gone' }, partitionKey: 't' },
    ]);
  });

  it('429 back-off: exponential ceiling with full jitter, at least retry-after, gives up after maxRetries', () => {
    const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelayMs(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(200);
    expect(backoffDelayMs(2, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(1, policy, () => 0, 150)).toBe(150);
    expect(backoffDelayMs(1, policy, () => 0, 5000)).toBe(1000);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBeUndefined();
  });
});
