/**
 * Store port: typed document access per container, partitioned by tenant.
 * Implemented by the embedded SQLite adapter (default) and, later, Cosmos DB.
 * Every document carries `id` and `tenantId`; `(container, tenantId, id)` is unique.
 */
export const CONTAINERS = [
  'tenants',
  'connections',
  'schemas',
  'tasks',
  /** When tasks run on their own: cron or interval triggers with their firing bookkeeping. */
  'schedules',
  'executions',
  'shards',
  'pages',
  'failures',
  /** Append-only audit entries. */
  'activity',
  /** Shared coordination state: execution leases, token buckets, circuit breakers, rate limits. */
  'coordination',
  /** Entity-resolution look-ups by key: blocking-key documents and the aliases of merged records. */
  'lookups',
  /** De-duplication rules per shard type. */
  'dedupeRules',
  /** Field conflicts of bidirectional sync, waiting for (or settled by) a person. */
  'conflicts',
] as const;
export type ContainerName = (typeof CONTAINERS)[number];

export interface Doc {
  id: string;
  tenantId: string;
  /** Seconds until the document expires (Cosmos semantics); absent or -1 = never. */
  ttl?: number;
}

/** A document as stored: the store adds its ETag and last-modified time (epoch seconds). */
export type Stored<T extends Doc> = T & { _etag: string; _ts: number };

export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export interface Filter {
  /** Dotted path into the document, e.g. `shardType` or `externalRelationships.0.externalId`. */
  path: string;
  op: FilterOp;
  value: string | number | boolean | null;
}
/** Matches documents whose array at `path` has an element containing all `match` fields. */
export interface ArrayContainsFilter {
  path: string;
  op: 'arrayContains';
  match: Record<string, string | number | boolean>;
}

/** Matches documents whose value at `path` equals one of `values`, compared as `=` compares. */
export interface AnyOfFilter {
  path: string;
  op: 'in';
  values: ReadonlyArray<string | number | boolean>;
}

/** Matches documents that have (`defined: true`) or lack (`false`) a value at `path`; an explicit null counts as a value. */
export interface DefinedFilter {
  path: string;
  op: 'defined';
  defined: boolean;
}

export interface Query {
  filters?: Array<Filter | ArrayContainsFilter | AnyOfFilter | DefinedFilter>;
  orderBy?: { path: string; direction: 'asc' | 'desc' };
}

export interface PageRequest {
  /** Opaque token from a previous page; absent for the first page. */
  continuationToken?: string;
  /** Page size; adapters cap it (embedded: 1000). Default 100. */
  maxItems?: number;
}

export interface QueryPage<T extends Doc> {
  items: Stored<T>[];
  /** Present when more items follow. */
  continuationToken?: string;
}

/** Increments numeric fields at dotted paths (missing fields start at 0). */
export type Increments = Record<string, number>;

export type BatchOperation =
  | { op: 'create'; doc: Doc }
  | { op: 'upsert'; doc: Doc; ifMatch?: string }
  | { op: 'replace'; doc: Doc; ifMatch?: string }
  | { op: 'delete'; id: string; ifMatch?: string }
  | { op: 'increment'; id: string; increments: Increments };

export interface Store {
  /** Point read; undefined when absent or expired. */
  read<T extends Doc>(container: ContainerName, tenantId: string, id: string): Promise<Stored<T> | undefined>;
  /**
   * Point reads of several documents of one tenant in as few requests as the database allows; the
   * ones found (absent and expired ids are left out). As consistent as reading each on its own.
   */
  readMany<T extends Doc>(container: ContainerName, tenantId: string, ids: readonly string[]): Promise<Map<string, Stored<T>>>;
  /** Create; throws ConflictError when the id exists. */
  create<T extends Doc>(container: ContainerName, doc: T): Promise<Stored<T>>;
  /** Replace an existing document; throws NotFoundError if absent, PreconditionFailedError if ifMatch differs. */
  replace<T extends Doc>(container: ContainerName, doc: T, options?: { ifMatch?: string }): Promise<Stored<T>>;
  /** Create or replace; with ifMatch it only replaces a document whose ETag matches (else PreconditionFailedError). */
  upsert<T extends Doc>(container: ContainerName, doc: T, options?: { ifMatch?: string }): Promise<Stored<T>>;
  /** Delete; returns false when absent; PreconditionFailedError if ifMatch differs. */
  delete(container: ContainerName, tenantId: string, id: string, options?: { ifMatch?: string }): Promise<boolean>;
  /** Atomic patch-increment of counters; throws NotFoundError if absent. */
  increment<T extends Doc>(container: ContainerName, tenantId: string, id: string, increments: Increments): Promise<Stored<T>>;
  /** Query one tenant's documents with continuation paging. */
  query<T extends Doc>(container: ContainerName, tenantId: string, query?: Query, page?: PageRequest): Promise<QueryPage<T>>;
  /** How many of one tenant's documents the query's filters match (its order is irrelevant), counted by the database: no document is read back. */
  count(container: ContainerName, tenantId: string, query?: Query): Promise<number>;
  /**
   * Transactional batch within one container and one tenant: all operations apply or none.
   * Throws BatchError carrying the index and error of the first failing operation.
   */
  batch(container: ContainerName, tenantId: string, operations: BatchOperation[]): Promise<void>;
  /**
   * Removes documents whose TTL has passed, for stores that do not do it themselves (Cosmos DB
   * does; the embedded store only hides them). Returns how many were removed.
   */
  purgeExpired?(): Promise<number>;
}
