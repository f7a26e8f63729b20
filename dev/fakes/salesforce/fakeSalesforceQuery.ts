import { randomBytes } from 'node:crypto';
import { SalesforceError } from './fakeSalesforceHttp.js';
import { parseSalesforceDate, type FieldValue, type SalesforceRecord } from './fakeSalesforceSchema.js';
import type { SoqlQuery } from './fakeSalesforceSoql.js';
import type { FakeSalesforceStore } from './fakeSalesforceStore.js';

export const defaultBatchSize = 2000;
const minBatchSize = 200;

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

interface Cursor {
  rows: Record<string, unknown>[];
  batchSize: number;
}

/**
 * Runs parsed queries and keeps their cursors. Like Salesforce's, a cursor is a snapshot taken
 * when the query runs: later writes do not shift its batches. Locators read `<cursor id>-<offset>`
 * (as `01gD0000002HU6KIAW-2000`), and jsforce rebuilds the `nextRecordsUrl` from the last segment.
 */
export class FakeSalesforceQueries {
  private readonly cursors = new Map<string, Cursor>();

  constructor(private readonly store: FakeSalesforceStore) {}

  run(query: SoqlQuery, version: string, batchSize: number): QueryPage {
    const stampMs = (record: SalesforceRecord) => parseSalesforceDate(record.SystemModstamp);
    const matching = this.store
      .all(query.type)
      .filter((record) => query.afterMs === undefined || stampMs(record) > query.afterMs)
      .filter((record) => query.untilMs === undefined || stampMs(record) <= query.untilMs)
      .sort((a, b) => stampMs(a) - stampMs(b) || (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0))
      .slice(0, query.limit);
    const rows = matching.map((record) => ({
      attributes: { type: query.type, url: `/services/data/v${version}/sobjects/${query.type}/${record.Id}` },
      ...Object.fromEntries(query.fields.map((field): [string, FieldValue] => [field, record[field] ?? null])),
    }));
    const id = `01gDn${randomBytes(7).toString('hex').slice(0, 13).toUpperCase()}`;
    const cursor = { rows, batchSize };
    this.cursors.set(id, cursor);
    return this.page(id, cursor, 0, version, batchSize);
  }

  /** The batch at `<id>-<offset>`; an unknown or finished locator is INVALID_QUERY_LOCATOR. */
  more(locator: string, version: string, batchSize: number | undefined): QueryPage {
    const match = /^(\w+)-(\d+)$/.exec(locator);
    const cursor = match ? this.cursors.get(match[1] as string) : undefined;
    const offset = Number(match?.[2]);
    if (!match || !cursor || offset >= cursor.rows.length) throw new SalesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return this.page(match[1] as string, cursor, offset, version, batchSize ?? cursor.batchSize);
  }

  private page(id: string, cursor: Cursor, offset: number, version: string, batchSize: number): QueryPage {
    const records = cursor.rows.slice(offset, offset + batchSize);
    const next = offset + records.length;
    const done = next >= cursor.rows.length;
    if (done) this.cursors.delete(id);
    return {
      totalSize: cursor.rows.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${id}-${next}` }),
      records,
    };
  }
}

/**
 * `Sforce-Query-Options: batchSize=N`: Salesforce serves between 200 and 2,000 a batch and
 * treats the size as a hint, so an out-of-range value is clamped rather than refused.
 */
export function batchSizeOf(header: string | string[] | undefined): number | undefined {
  const value = /(?:^|[,;\s])batchSize=(\d+)/i.exec(String(header ?? ''))?.[1];
  if (value === undefined) return undefined;
  return Math.min(Math.max(Number(value), minBatchSize), defaultBatchSize);
}
