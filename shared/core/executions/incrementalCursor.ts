/**
 * Incremental cursors: per connection and stream, the latest modification time a complete read
 * has seen. Pure decisions; the use cases store them.
 */
import type { StreamProgress } from '../schemas/execution.js';
import { readPath } from '../schemas/fieldPath.js';

/** Provider times in ms; a time without a zone suffix is UTC (as a `*_gmt` field is). */
export function parseProviderTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The latest modification time among a page's records (ISO), if any record has one. */
export function latestModified(records: ReadonlyArray<Record<string, unknown>>, field: string): string | undefined {
  let latest: number | undefined;
  for (const record of records) {
    const ms = parseProviderTime(readPath(record, field));
    if (ms !== undefined && (latest === undefined || ms > latest)) latest = ms;
  }
  return latest === undefined ? undefined : new Date(latest).toISOString();
}

/** What a finished run's counters say about one stream's read. */
export type StreamReadProgress = Pick<StreamProgress, 'totalsKnown' | 'pagesTotal' | 'pagesDone' | 'failedPages' | 'failedBatches' | 'truncated'>;

/**
 * Whether a run that ended `outcome` read the stream to its end: every page fetched and processed.
 * Records that failed do not count against it (they stay open failures, retried from there, or
 * closed by a later run that syncs them); a page that could not be fetched, a batch given up on,
 * or `maxRecords` stopping the read do. A run that ended `failed` synced nothing to build on.
 */
export function readToEnd(outcome: 'success' | 'partial' | 'failed', stream: StreamReadProgress): boolean {
  return (
    outcome !== 'failed' &&
    stream.totalsKnown > 0 &&
    stream.pagesDone >= stream.pagesTotal &&
    stream.failedPages === 0 &&
    stream.failedBatches === 0 &&
    !stream.truncated
  );
}

export interface CursorAdvance {
  /** The cursor before this run (ISO). */
  existing?: string;
  /** The latest modification time this run read for the stream (ISO). */
  seen?: string;
  mode: 'full' | 'incremental';
  /** The run read only some records (ids from webhooks or retries): it proves nothing about the rest. */
  restricted: boolean;
  /** See readToEnd. */
  readToEnd: boolean;
}

/**
 * The cursor after a finished run, or undefined to leave it. Only a read to the stream's end moves
 * it: a run that stopped early has not seen what lies past where it stopped. A run restricted to
 * ids never moves it (so a webhook-triggered run cannot move it backwards, or past changes it did
 * not read); a full run sets it to what it saw (a full read may reset it); an incremental run only
 * moves it forward.
 */
export function nextCursor({ existing, seen, mode, restricted, readToEnd }: CursorAdvance): string | undefined {
  if (restricted || !readToEnd || seen === undefined) return undefined;
  if (mode === 'full' || existing === undefined) return seen;
  return Date.parse(seen) > Date.parse(existing) ? seen : undefined;
}

/** Where an incremental read starts: the cursor minus an overlap covering clock skew and equal timestamps. */
export function readFrom(cursor: string | undefined, overlapMs: number): string | undefined {
  return cursor === undefined ? undefined : new Date(Date.parse(cursor) - overlapMs).toISOString();
}
