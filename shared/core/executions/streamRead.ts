/**
 * How a run reads one stream, decided when it is queued and shown in the execution view, so an
 * operator can tell a cheap incremental read from one that costs a full read, and why.
 * - `incremental`: the provider returns only the records modified since the cursor.
 * - `full`: every record is fetched from the provider; `reason` says why:
 *   - `requested`: the run asked for a full read (`mode: "full"`);
 *   - `no_cursor`: an incremental run, but no complete read of the stream has set its cursor yet;
 *   - `provider_has_no_modified_filter`: an incremental run whose provider cannot filter this
 *     stream by modification time: every record is fetched and only the changed ones are kept;
 *   - `state_expired`: an incremental run whose connector found its stored state too old to read
 *     changes from (a sync token past its life, a change feed past its look-back).
 * - `ids`: only the records the run lists by id (webhook and retry runs).
 */
export type StreamRead =
  | { kind: 'incremental' }
  | { kind: 'full'; reason: FullReadReason }
  | { kind: 'ids' };

export const FULL_READ_REASONS = ['requested', 'no_cursor', 'provider_has_no_modified_filter', 'state_expired'] as const;
export type FullReadReason = (typeof FULL_READ_REASONS)[number];

export interface StreamReadInput {
  mode: 'full' | 'incremental';
  /** The run lists this stream's records by id. */
  restricted: boolean;
  /** The stream's incremental cursor or connector state, if a complete read has set one. */
  cursor: unknown;
  serverFiltersModified: boolean;
}

export function planStreamRead({ mode, restricted, cursor, serverFiltersModified }: StreamReadInput): StreamRead {
  if (restricted) return { kind: 'ids' };
  if (mode === 'full') return { kind: 'full', reason: 'requested' };
  if (cursor === undefined) return { kind: 'full', reason: 'no_cursor' };
  if (!serverFiltersModified) return { kind: 'full', reason: 'provider_has_no_modified_filter' };
  return { kind: 'incremental' };
}

/** How a stream is read once its connector found the stored incremental state too old to read changes from. */
export const readAfterStateExpired: StreamRead = { kind: 'full', reason: 'state_expired' };
