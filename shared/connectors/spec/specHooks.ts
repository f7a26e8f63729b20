import type { SourceRecord } from '../connector.js';
import type { StreamSpec } from './streamSpec.js';

/** A list request as sent: the planned page request, maybe moved into a JSON body (a search API). */
export interface ListCall {
  method: 'GET' | 'POST';
  /** Relative to the base URL, or absolute (a next link). */
  path: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

/** A call on one record as sent. */
export interface RecordCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
  timeoutMs?: number;
}

/**
 * Code a built-in provider adds to its spec where data cannot say it. Every hook is optional; a
 * `generic-rest` connection has none.
 */
export interface SpecHooks {
  /**
   * Shapes a stream's list request where parameters cannot say it: a search API taking its paging
   * and modified filter in a JSON body (HubSpot), a query language (Salesforce's SOQL). `call` is
   * the request the spec planned; the answer is read as the spec says.
   */
  shapeList?(stream: StreamSpec, call: ListCall): ListCall;
  /**
   * Shapes an update's body and query from the fields the engine changed and the record as read
   * just before (the record is then always read first): an API that replaces whole fields named in
   * a mask (Google People's `updatePersonFields`) gets the changed items merged into the current
   * lists and the mask of what is sent.
   */
  shapeUpdate?(stream: StreamSpec, fields: SourceRecord, current: SourceRecord): { body: SourceRecord; params: Record<string, string> };
  /**
   * Shapes a call on one record (its read, a create, an update) where the API takes the id and
   * fields in a JSON body rather than the URL (Odoo's `read`/`create`/`write` methods). `call` is
   * the request the spec planned; `id` is the record's (absent for a create). The answer is read
   * as the spec's `writes` say.
   */
  shapeRecordCall?(stream: StreamSpec, purpose: 'read' | 'create' | 'update', call: RecordCall, id?: string): RecordCall;
  /**
   * Authenticates a request by signing its query instead of the spec's `auth` (WooCommerce over
   * plain http: OAuth 1.0a). Returns the query to send, or undefined to use the spec's `auth`.
   * `url` is absolute and without a query.
   */
  signQuery?(method: string, url: URL, params: Readonly<Record<string, string>>, credentials: Readonly<Record<string, unknown>>): string | undefined;
}
