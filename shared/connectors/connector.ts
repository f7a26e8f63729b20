import type { ProviderBudget } from '../core/operations/providerBudget.js';

/** What every provider connector offers the sync use cases. */
export type SourceRecord = Record<string, unknown>;

export interface StreamInfo {
  /** Stream name as used in tasks, e.g. `customers`. */
  name: string;
  /** Field holding the record's id at the provider. */
  idField: string;
  /** Field holding the record's last-modified time (UTC), used for incremental reads. */
  modifiedField: string;
  /**
   * Field holding the record's concurrency token (an ETag, a `SyncToken`) where the provider
   * guards writes with one; it travels with the record as `version` to the next update.
   */
  versionField?: string;
  /** Streams whose records this one refers to: an execution syncs those first. */
  dependsOn: string[];
  /**
   * Whether the provider itself returns only the records modified after `modifiedAfter`. When it
   * cannot, the connector reads every record and keeps the changed ones: an incremental read
   * then costs a full read (the execution view says so).
   */
  serverFiltersModified: boolean;
  /**
   * How pages follow each other. `numbered` (the default, `listPage`): page 1 tells the total, so
   * the engine asks for pages 2..N at once. `chained` (`listChainedPage`): each page returns the
   * token of the next, so pages are read one after the other and the totals are known at the end.
   */
  paging?: 'numbered' | 'chained';
  /**
   * Chained streams only: the connector owns the stream's incremental state (a sync token, a
   * change-feed position…): it receives the stored state in ListPageRequest `state` and returns
   * the state after each page in ChainedSourcePage `state`. Without it the engine keeps a
   * modified-time cursor from `modifiedField`.
   */
  connectorState?: boolean;
}

export interface ListPageRequest {
  stream: string;
  /** 1-based page number. */
  page: number;
  perPage: number;
  /** Incremental reads: only records modified at or after this instant. */
  modifiedAfter?: Date;
  /** Only these external ids. */
  ids?: string[];
  /** Provider-side filters (e.g. WooCommerce `status`, `category`); never overrides paging or ordering. */
  filters?: Record<string, string>;
  /** Chained streams: the previous page's `next` token; absent for page 1. */
  next?: string;
  /**
   * Streams with `connectorState`, incremental reads: the state stored by the last complete read.
   * A connector that can no longer read from it throws IncrementalStateExpiredError.
   */
  state?: unknown;
}

/** A page of a `numbered` stream: page 1 tells how many there are. */
export interface SourcePage {
  records: SourceRecord[];
  page: number;
  totalPages: number;
  totalRecords: number;
  /** What the response's rate-limit headers said is left (parseRateLimitHeaders); absent when they said nothing. */
  budget?: ProviderBudget;
  /** Ids the provider's change or delete feed reports gone (a sync token's deleted entries): their shards become tombstones. */
  deletedIds?: string[];
}

/** A page of a `chained` stream (listChainedPage). */
export interface ChainedSourcePage {
  records: SourceRecord[];
  page: number;
  /** Opaque token of the next page; absent on the stream's last page. */
  next?: string;
  /** Streams with `connectorState`: the state after this page, JSON; the engine keeps the last page's. */
  state?: unknown;
  /** What the response's rate-limit headers said is left (parseRateLimitHeaders); absent when they said nothing. */
  budget?: ProviderBudget;
  /** Ids the provider's change or delete feed reports gone (a sync token's deleted entries): their shards become tombstones. */
  deletedIds?: string[];
}

/** Optimistic concurrency for an update. */
export interface WritePrecondition {
  /**
   * The record's `modifiedField` value as last read, in the provider's format: the update is
   * refused with WriteConflictError when the provider's record has changed since.
   */
  modifiedAt?: string;
  /**
   * The record's concurrency token as last read (an ETag, a `SyncToken`), for providers whose
   * writes are guarded by one; without it such a connector reads the record first to get it.
   */
  version?: string;
}

export interface WriteResult {
  externalId: string;
  /** The provider's record after the write, shaped as a read returns it. */
  record: SourceRecord;
  /** The record's `modifiedField` value after the write: the precondition of the next update. */
  modifiedAt?: string;
  /** The record's concurrency token after the write, where the provider guards writes with one. */
  version?: string;
}

export interface ConnectionTestOptions {
  /** Give up after this long, or after the connection's own timeout when that is shorter. */
  timeoutMs?: number;
}

export interface Connector {
  readonly provider: string;
  streams(): StreamInfo[];
  listPage(request: ListPageRequest): Promise<SourcePage>;
  /** Reads a page of a `chained` stream; required of a connector that declares one. */
  listChainedPage?(request: ListPageRequest): Promise<ChainedSourcePage>;
  /**
   * Checks reachability and credentials now, with one cheap authenticated provider call and no
   * retries. Resolves when the provider answered and accepted the credentials; otherwise throws
   * the read side's typed errors (AuthError, ProviderUnavailableError, DestinationRefusedError…).
   */
  testConnection(options?: ConnectionTestOptions): Promise<void>;
  /**
   * Write side; absent on read-only connectors. `fields` are provider-shaped and partial (the
   * provider decides how nested values combine). Besides the read side's errors, writes fail with
   * WriteConflictError, ValidationError, RecordNotFoundError and, for creates that may have
   * happened, WriteOutcomeUnknownError (writeOutcomeUnknownError.ts).
   */
  update?(stream: string, externalId: string, fields: SourceRecord, precondition?: WritePrecondition): Promise<WriteResult>;
  create?(stream: string, fields: SourceRecord): Promise<WriteResult>;
  /** Releases kept-alive connections; called when a newer version of the connection replaces it. */
  close?(): Promise<void>;
}
