/** What every provider connector offers the sync use cases. */
export type SourceRecord = Record<string, unknown>;

export interface StreamInfo {
  /** Stream name as used in tasks, e.g. `customers`. */
  name: string;
  /** Field holding the record's id at the provider. */
  idField: string;
  /** Field holding the record's last-modified time (UTC), used for incremental reads. */
  modifiedField: string;
  /** Streams whose records this one refers to: an execution syncs those first. */
  dependsOn: string[];
  /**
   * Whether the provider itself returns only the records modified after `modifiedAfter`. When it
   * cannot, the connector reads every record and keeps the changed ones: an incremental read
   * then costs a full read (the execution view says so).
   */
  serverFiltersModified: boolean;
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
}

export interface SourcePage {
  records: SourceRecord[];
  page: number;
  totalPages: number;
  totalRecords: number;
}

/** Optimistic concurrency for an update. */
export interface WritePrecondition {
  /**
   * The record's `modifiedField` value as last read, in the provider's format: the update is
   * refused with WriteConflictError when the provider's record has changed since.
   */
  modifiedAt?: string;
}

export interface WriteResult {
  externalId: string;
  /** The provider's record after the write, shaped as a read returns it. */
  record: SourceRecord;
  /** The record's `modifiedField` value after the write: the precondition of the next update. */
  modifiedAt?: string;
}

export interface ConnectionTestOptions {
  /** Give up after this long, or after the connection's own timeout when that is shorter. */
  timeoutMs?: number;
}

export interface Connector {
  readonly provider: string;
  streams(): StreamInfo[];
  listPage(request: ListPageRequest): Promise<SourcePage>;
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
