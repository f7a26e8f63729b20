import type { Agent } from 'node:http';
import {
  CosmosClient,
  type Container,
  type Database,
  type OperationInput,
  type OperationResponse,
  type PartitionKey,
  type RequestOptions,
  type RetryOptions,
} from '@azure/cosmos';
import type { TokenCredential } from '@azure/identity';
import type { BatchOperation, ContainerName, Doc, Increments, PageRequest, Query, QueryPage, Store, Stored } from '../../ports/store.js';
import { BatchError } from '../../ports/batchError.js';
import { ConflictError } from '../../ports/conflictError.js';
import { NotFoundError } from '../../ports/notFoundError.js';
import { PreconditionFailedError } from '../../ports/preconditionFailedError.js';
import { StoreError } from '../../ports/storeError.js';
import {
  MAX_BATCH_OPERATIONS,
  failedIndex,
  idOf,
  planBatch,
  undoOperations,
  type KnownDocuments,
  type PlannedOperation,
} from './cosmosBatch.js';
import { ensureCosmosResources } from './cosmosContainers.js';
import { toStored, writable, type CosmosResource } from './cosmosDocuments.js';
import { storeErrorFor, toStoreError } from './cosmosErrors.js';
import { MAX_PATCH_OPERATIONS, planIncrement } from './cosmosIncrement.js';
import {
  VISIBLE,
  buildCountSql,
  buildQuerySql,
  decodeContinuation,
  encodeContinuation,
  isExpired,
  pageSize,
  queryFingerprint,
} from './cosmosQuery.js';
import { withThrottleRetry } from './cosmosThrottle.js';

export interface CosmosStoreOptions {
  endpoint: string;
  /** Account key: local servers. In Azure pass `credential` (the runtime passes DefaultAzureCredential). */
  key?: string;
  credential?: TokenCredential;
  databaseId: string;
  /** Create the database and containers when absent (local servers; in Azure, infra creates them). */
  ensure?: boolean;
  /** HTTP(S) agent, e.g. keep-alive for a local server. */
  agent?: Agent;
  /**
   * Talking to @vercel/cosmosdb-server (dev/cosmosServer.ts): no endpoint discovery, and batches
   * emulate what its batch lacks (atomicity, patch operations). See `batch`.
   */
  testServer?: boolean;
}

/** The SDK's own 429 handling first (it honours retry-after); withThrottleRetry backs off beyond it. */
const SDK_RETRY: RetryOptions = { maxRetryAttemptCount: 9, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 30 };

/** Builds the store and its CosmosClient; the runtime builds one store per process, so one client. */
export async function createCosmosStore(options: CosmosStoreOptions): Promise<CosmosStore> {
  if (!options.key && !options.credential) throw new Error('createCosmosStore: pass key (local) or credential (Azure)');
  const client = new CosmosClient({
    endpoint: options.endpoint,
    ...(options.key ? { key: options.key } : { aadCredentials: options.credential }),
    ...(options.agent ? { agent: options.agent } : {}),
    connectionPolicy: { enableEndpointDiscovery: !options.testServer, retryOptions: SDK_RETRY },
  });
  try {
    if (options.ensure) await ensureCosmosResources(client, options.databaseId);
  } catch (error) {
    client.dispose();
    throw error;
  }
  return new CosmosStore(client, client.database(options.databaseId), options.testServer ?? false);
}

/**
 * The one place that knows each container's partition key: `/tenantId` for all (infra/cosmos/containers.json).
 * Moving shards to hierarchical keys (/tenantId, /shardType) changes that file and this function
 * (point operations then need the shardType too, e.g. carried in the shard id).
 */
export function partitionKeyFor(_container: ContainerName, tenantId: string): PartitionKey {
  return tenantId;
}

/** A write's answer always carries the document; anything else is a server fault, not a missing document. */
function written(resource: object | undefined): CosmosResource {
  if (!resource) throw new StoreError('Cosmos DB answered a write without the document', 500);
  return resource as CosmosResource;
}

const nowSeconds = (): number => Date.now() / 1000;
const ifMatchOption = (ifMatch: string | undefined): RequestOptions =>
  ifMatch === undefined ? {} : { accessCondition: { type: 'IfMatch', condition: ifMatch } };

/** Store port on Cosmos DB (NoSQL API); same semantics as the embedded SqliteStore. */
export class CosmosStore implements Store {
  readonly #client: CosmosClient;
  readonly #database: Database;
  readonly #testServer: boolean;

  constructor(client: CosmosClient, database: Database, testServer: boolean) {
    this.#client = client;
    this.#database = database;
    this.#testServer = testServer;
  }

  async read<T extends Doc>(container: ContainerName, tenantId: string, id: string): Promise<Stored<T> | undefined> {
    const resource = await this.#readResource(container, tenantId, id);
    return resource && toStored<T>(resource);
  }

  /** Queries of up to 100 ids each, run at once: one round trip instead of one per document. */
  async readMany<T extends Doc>(container: ContainerName, tenantId: string, ids: readonly string[]): Promise<Map<string, Stored<T>>> {
    const unique = [...new Set(ids)];
    const chunks = Array.from({ length: Math.ceil(unique.length / MAX_BATCH_OPERATIONS) }, (_, index) =>
      unique.slice(index * MAX_BATCH_OPERATIONS, (index + 1) * MAX_BATCH_OPERATIONS));
    const found = (await Promise.all(chunks.map((chunk) => this.#readMany(container, tenantId, chunk)))).flat();
    return new Map(found.map((resource) => [resource.id, toStored<T>(resource)]));
  }

  async create<T extends Doc>(container: ContainerName, doc: T): Promise<Stored<T>> {
    try {
      return toStored<T>(await this.#call(container, doc.id, async () => written((await this.#items(container).create(writable(doc))).resource)));
    } catch (error) {
      if (error instanceof ConflictError) return this.#createOverExpired(container, doc);
      throw error;
    }
  }

  async replace<T extends Doc>(container: ContainerName, doc: T, options?: { ifMatch?: string }): Promise<Stored<T>> {
    const item = this.#item(container, doc.tenantId, doc.id);
    return toStored<T>(
      await this.#call(container, doc.id, async () => written((await item.replace(writable(doc), ifMatchOption(options?.ifMatch))).resource)),
    );
  }

  /** With ifMatch, a replace: a missing document fails with 412 too (it changed since it was read). */
  async upsert<T extends Doc>(container: ContainerName, doc: T, options?: { ifMatch?: string }): Promise<Stored<T>> {
    if (options?.ifMatch !== undefined) {
      try {
        return await this.replace(container, doc, options);
      } catch (error) {
        throw error instanceof NotFoundError ? new PreconditionFailedError(container, doc.id) : error;
      }
    }
    return toStored<T>(await this.#call(container, doc.id, async () => written((await this.#items(container).upsert(writable(doc))).resource)));
  }

  async delete(container: ContainerName, tenantId: string, id: string, options?: { ifMatch?: string }): Promise<boolean> {
    try {
      await this.#call(container, id, () => this.#item(container, tenantId, id).delete(ifMatchOption(options?.ifMatch)));
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /**
   * Atomic without locks: pure `incr` patches commute, so concurrent increments never lose an update.
   * Only a patch that must create a missing parent object (patch cannot create paths recursively)
   * or needs more than 10 operations is conditional on the ETag read, and re-planned when it loses a race.
   */
  async increment<T extends Doc>(container: ContainerName, tenantId: string, id: string, increments: Increments): Promise<Stored<T>> {
    for (;;) {
      const current = await this.#readResource(container, tenantId, id);
      if (!current) throw new NotFoundError(container, id);
      const plan = planIncrement(writable(current), increments);
      const item = this.#item(container, tenantId, id);
      try {
        const resource = await this.#call(container, id, async () =>
          written(
            plan.operations.length <= MAX_PATCH_OPERATIONS
              ? (await item.patch(plan.operations, ifMatchOption(plan.conditional ? current._etag : undefined))).resource
              : (await item.replace(plan.result, ifMatchOption(current._etag))).resource,
          ),
        );
        return toStored<T>(resource);
      } catch (error) {
        if (!(error instanceof PreconditionFailedError)) throw error;
      }
    }
  }

  async query<T extends Doc>(container: ContainerName, tenantId: string, query: Query = {}, page: PageRequest = {}): Promise<QueryPage<T>> {
    const fingerprint = queryFingerprint(container, tenantId, query);
    const resume = page.continuationToken === undefined ? undefined : decodeContinuation(page.continuationToken, fingerprint);
    const now = resume?.now ?? nowSeconds();
    const spec = buildQuerySql(tenantId, query, now);
    const response = await this.#call(container, '(query)', () =>
      this.#items(container)
        .query<CosmosResource>(spec, {
          partitionKey: partitionKeyFor(container, tenantId),
          maxItemCount: pageSize(page.maxItems),
          ...(resume ? { continuationToken: resume.cosmos } : {}),
        })
        .fetchNext(),
    );
    const items = response.resources.map((resource) => toStored<T>(resource));
    return response.continuationToken
      ? { items, continuationToken: encodeContinuation({ query: fingerprint, now, cosmos: response.continuationToken }) }
      : { items };
  }

  /** One aggregate query within the tenant's partition. */
  async count(container: ContainerName, tenantId: string, query: Query = {}): Promise<number> {
    const spec = buildCountSql(tenantId, query, nowSeconds());
    const response = await this.#call(container, '(count)', () =>
      this.#items(container).query<number>(spec, { partitionKey: partitionKeyFor(container, tenantId) }).fetchAll(),
    );
    return response.resources[0] ?? 0;
  }

  /**
   * One transactional batch. Cosmos guarantees all-or-nothing and runs increments as patches.
   * On the test server (not atomic, no patch in a batch) the emulation adds: every document the batch
   * touches is read first (see #knownDocuments) and the operations are checked against it, so a batch that
   * would fail is refused before anything is written; increments become ETag-guarded replaces; and
   * if a concurrent writer still fails an operation midway, the operations before it are undone.
   * A batch that lost only the race on an ETag the adapter added (increments) is re-planned and resent.
   */
  async batch(container: ContainerName, tenantId: string, operations: BatchOperation[]): Promise<void> {
    if (operations.length === 0) return;
    if (operations.length > MAX_BATCH_OPERATIONS) {
      throw new StoreError(`a batch holds at most ${MAX_BATCH_OPERATIONS} operations, got ${operations.length}`, 400);
    }
    if (this.#testServer && operations.some((operation) => operation.op === 'increment')) {
      return this.#batchWithStandaloneIncrements(container, tenantId, operations);
    }
    const partitionKey = partitionKeyFor(container, tenantId);
    for (;;) {
      const known = await this.#knownDocuments(container, tenantId, operations);
      const planned = planBatch(container, tenantId, operations, known, partitionKey, { patch: !this.#testServer });
      if (planned.length > MAX_BATCH_OPERATIONS) {
        throw new StoreError(`the batch needs ${planned.length} operations (increments take one per 10 paths); at most ${MAX_BATCH_OPERATIONS}`, 400);
      }
      const results = await this.#sendBatch(container, planned.map((operation) => operation.input), partitionKey);
      const failed = failedIndex(results);
      if (failed < 0) return;
      if (this.#testServer && failed > 0) await this.#undo(container, planned, results, failed, known, partitionKey);
      const operation = planned[failed]!;
      const status = results[failed]!.statusCode;
      if (status === 412 && operation.guarded) continue; // nothing is written now: re-read and re-plan
      throw new BatchError(operation.source, storeErrorFor(status === 404 && operation.missingIsStale ? 412 : status, container, operation.id));
    }
  }

  /**
   * Test server only: its batches cannot patch, and ETag-guarded replaces of a shared counter
   * document (every batch of an execution increments the same one) collide and retry endlessly
   * under concurrency. So the other operations go as a batch, then each increment as a plain patch
   * (no ETag, no collision). Increment targets not written by the batch itself are checked to exist
   * first; a target deleted in between is the one gap, acceptable on a non-atomic test server.
   */
  async #batchWithStandaloneIncrements(container: ContainerName, tenantId: string, operations: BatchOperation[]): Promise<void> {
    const others = operations.flatMap((operation, index) => (operation.op === 'increment' ? [] : [{ operation, index }]));
    const increments = operations.flatMap((operation, index) => (operation.op === 'increment' ? [{ operation, index }] : []));
    const writtenEarlier = (id: string, before: number) =>
      others.some(({ operation, index }) => index < before && operation.op !== 'delete' && idOf(operation) === id);
    for (const { operation, index } of increments) {
      if (writtenEarlier(operation.id, index)) continue;
      if (!(await this.#readResource(container, tenantId, operation.id))) throw new BatchError(index, new NotFoundError(container, operation.id));
    }
    try {
      await this.batch(container, tenantId, others.map(({ operation }) => operation));
    } catch (error) {
      if (error instanceof BatchError) throw new BatchError(others[error.operationIndex]!.index, error.cause);
      throw error;
    }
    for (const { operation } of increments) await this.increment(container, tenantId, operation.id, operation.increments);
  }

  /** Disposes the client (timers, sockets). */
  async close(): Promise<void> {
    this.#client.dispose();
  }

  /** Undefined when absent or expired. */
  async #readResource(container: ContainerName, tenantId: string, id: string): Promise<CosmosResource | undefined> {
    const resource = await this.#readRaw(container, tenantId, id);
    return resource && !isExpired(resource, nowSeconds()) ? resource : undefined;
  }

  /** A point read; the SDK answers 404 with an undefined resource rather than an error. */
  async #readRaw(container: ContainerName, tenantId: string, id: string): Promise<CosmosResource | undefined> {
    return this.#call(container, id, async () => (await this.#item(container, tenantId, id).read<CosmosResource>()).resource);
  }

  /**
   * Cosmos hides an expired document and lets its id be created again. The test server keeps it
   * (it ignores TTL), so its 409 is overcome here by replacing the expired document under its ETag.
   * On Cosmos this runs only for a real conflict, and then throws it.
   */
  async #createOverExpired<T extends Doc>(container: ContainerName, doc: T): Promise<Stored<T>> {
    const existing = await this.#readRaw(container, doc.tenantId, doc.id);
    if (!existing) return this.create(container, doc);
    if (!isExpired(existing, nowSeconds())) throw new ConflictError(container, doc.id);
    try {
      return await this.replace(container, doc, { ifMatch: existing._etag });
    } catch (error) {
      if (error instanceof PreconditionFailedError) throw new ConflictError(container, doc.id);
      if (error instanceof NotFoundError) return this.create(container, doc);
      throw error;
    }
  }

  /**
   * The documents a batch must know before it is planned: on Cosmos only increment targets (to plan
   * their patches); on the test server every id, to refuse a failing batch before writing. One id is
   * a point read (1 request), more are one query (2 requests: the SDK fetches a query plan first).
   * Bulk point reads would be 1 request but the SDK's bulk executor adds about a second of latency.
   */
  async #knownDocuments(container: ContainerName, tenantId: string, operations: BatchOperation[]): Promise<KnownDocuments> {
    const ids = [...new Set(operations.filter((operation) => this.#testServer || operation.op === 'increment').map(idOf))];
    const known: KnownDocuments = new Map(ids.map((id) => [id, { body: undefined, etag: undefined }]));
    const found = ids.length === 1 ? [await this.#readResource(container, tenantId, ids[0]!)] : await this.#readMany(container, tenantId, ids);
    for (const resource of found) if (resource) known.set(resource.id, { body: writable(resource), etag: resource._etag });
    return known;
  }

  /** The visible documents among `ids` (at most 100, so one page). */
  async #readMany(container: ContainerName, tenantId: string, ids: string[]): Promise<CosmosResource[]> {
    if (ids.length === 0) return [];
    const spec = {
      query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND ${VISIBLE} AND ARRAY_CONTAINS(@ids, c.id)`,
      parameters: [
        { name: '@tenantId', value: tenantId },
        { name: '@now', value: nowSeconds() },
        { name: '@ids', value: ids },
      ],
    };
    const options = { partitionKey: partitionKeyFor(container, tenantId), maxItemCount: MAX_BATCH_OPERATIONS };
    return (await this.#call(container, '(batch read)', () => this.#items(container).query<CosmosResource>(spec, options).fetchAll())).resources;
  }

  /** Per-operation results; a throttled batch (nothing applied) is thrown as 429 so withThrottleRetry resends it. */
  async #sendBatch(container: ContainerName, inputs: OperationInput[], partitionKey: PartitionKey): Promise<OperationResponse[]> {
    return this.#call(container, '(batch)', async () => {
      const response = await this.#items(container).batch(inputs, partitionKey);
      const results = response.result ?? [];
      if (results.some((result) => result.statusCode === 429)) throw Object.assign(new Error('batch throttled'), { code: 429 });
      if (results.length !== inputs.length) throw new StoreError(`batch answered ${response.code} without per-operation results`, response.code ?? 500);
      return results;
    });
  }

  /** Test server only (see undoOperations). If the undo itself fails, the batch is reported as partly applied. */
  async #undo(
    container: ContainerName,
    planned: PlannedOperation[],
    results: OperationResponse[],
    failed: number,
    known: KnownDocuments,
    partitionKey: PartitionKey,
  ): Promise<void> {
    const undo = undoOperations(planned, results, failed, known, partitionKey);
    const undone = await this.#sendBatch(container, undo, partitionKey);
    if (failedIndex(undone) >= 0) {
      throw new StoreError(`batch operation ${planned[failed]!.source} failed and the test server kept the operations before it`, 500);
    }
  }

  async #call<R>(container: ContainerName, id: string, call: () => Promise<R>): Promise<R> {
    try {
      return await withThrottleRetry(call);
    } catch (error) {
      throw toStoreError(error, container, id);
    }
  }

  #items(container: ContainerName) {
    return this.#container(container).items;
  }

  #item(container: ContainerName, tenantId: string, id: string) {
    return this.#container(container).item(id, partitionKeyFor(container, tenantId));
  }

  #container(container: ContainerName): Container {
    return this.#database.container(container);
  }
}
