import type { Connector } from '../connectors/connector.js';
import { LruCache } from '../core/operations/lruCache.js';
import type { CompiledConversion } from './resources/compileConversion.js';
import type { SchemaComputedFields } from './resources/schemaComputedFields.js';

/** A connection's connector and the connection version (`updatedAt`) it was built for. */
export interface CachedConnector {
  version: string;
  connector: Promise<Connector>;
}

/**
 * What a process remembers between messages so that it reads and builds less, each cache bounded:
 * past its size the least recently used entries go and are read or built again when needed.
 * Owned by the composition root (runtime.ts) through SyncDeps; deps built apart (tests' workers
 * on one database) remember apart, as processes do.
 */
export interface SyncCaches {
  /** connectorAccess: per connection (`tenant/connection`). */
  connectors: LruCache<string, CachedConnector>;
  /** compileConversion: stored schemas compiled, per `tenant/schema@version`. */
  conversions: LruCache<string, CompiledConversion>;
  /** schemaComputedFields: per `tenant/schema@version#shardType`. */
  computedFields: LruCache<string, SchemaComputedFields>;
  /** entityIndex: look-up layouts by id; an id is the digest of its slots, so an entry never goes stale. */
  layouts: LruCache<string, readonly string[]>;
  /** entityIndex: the tenants' layouts this process has stored (`tenant\0layout`), so each is written once. */
  storedLayouts: LruCache<string, true>;
  /** entityIndex: each tenant's block id spelling, once read. */
  blockIds: LruCache<string, (shardType: string, key: string) => string>;
  /**
   * shardWriter: shards seen stored (`tenant/shard`), so parents a sync wrote just before are not
   * read again. Presence only: shards are not deleted once stored, except merged-away ones, whose
   * ids still lead to their survivor.
   */
  storedShards: LruCache<string, true>;
  /** activityLog: each tenant's activity TTL, and until when it is used without reading the tenant again. */
  activityTtls: LruCache<string, { ttl: number; until: number }>;
}

/** How many entries each cache keeps. */
export type SyncCacheSizes = Record<keyof SyncCaches, number>;

/**
 * Connectors (kept-alive HTTP connections) and compiled schemas (closures) weigh most: a thousand
 * of each. Layouts, spellings and TTLs are a few short values per tenant; stored shards only a key.
 */
const DEFAULT_SIZES: SyncCacheSizes = {
  connectors: 1_000,
  conversions: 1_000,
  computedFields: 1_000,
  layouts: 10_000,
  storedLayouts: 10_000,
  blockIds: 10_000,
  storedShards: 200_000,
  activityTtls: 10_000,
};

/** The process's caches, of the default sizes unless told otherwise (tests make them small). */
export function createSyncCaches(sizes: Partial<SyncCacheSizes> = {}): SyncCaches {
  const size = { ...DEFAULT_SIZES, ...sizes };
  return {
    // A connector dropped is closed once its in-flight requests are done.
    connectors: new LruCache(size.connectors, (dropped) => void dropped.connector.then((connector) => connector.close?.()).catch(() => undefined)),
    conversions: new LruCache(size.conversions),
    computedFields: new LruCache(size.computedFields),
    layouts: new LruCache(size.layouts),
    storedLayouts: new LruCache(size.storedLayouts),
    blockIds: new LruCache(size.blockIds),
    storedShards: new LruCache(size.storedShards),
    activityTtls: new LruCache(size.activityTtls),
  };
}
