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

export interface Connector {
  readonly provider: string;
  streams(): StreamInfo[];
  listPage(request: ListPageRequest): Promise<SourcePage>;
  /** Releases kept-alive connections; called when a newer version of the connection replaces it. */
  close?(): Promise<void>;
}
