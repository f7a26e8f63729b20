/** The coalescing window of one connection as stored. */
export interface WebhookWindowState {
  windowId: string;
  /** Epoch ms; deliveries before it join the window. */
  closesAtMs: number;
  /** Set by the flush before it reads the window's deliveries: later ones must go to a new window. */
  closed?: boolean;
}

export type WindowDecision = { kind: 'join'; windowId: string; closesAtMs: number } | { kind: 'open'; closesAtMs: number };

/**
 * Pure: a delivery joins the open window, or opens one that closes `windowMs` from now. The
 * window starts at its first delivery (not at fixed clock boundaries), so a burst is never split
 * by a boundary that happens to fall inside it.
 */
export function decideWindow(current: WebhookWindowState | undefined, nowMs: number, windowMs: number): WindowDecision {
  if (current && !current.closed && nowMs < current.closesAtMs) return { kind: 'join', windowId: current.windowId, closesAtMs: current.closesAtMs };
  return { kind: 'open', closesAtMs: nowMs + windowMs };
}

/** The most ids one execution takes per stream (startExecutionInput's limit). */
export const MAX_IDS_PER_RUN = 1000;

/**
 * Pure: the runs one task gets from a window's deliveries — the ids of its streams, de-duplicated
 * and sorted (so a redelivered flush computes the same runs), in runs of at most MAX_IDS_PER_RUN
 * ids per stream, with those reported deleted named in `deletedIds`, and as `delivered` the streams
 * whose every delivery carried its whole record (the run reads those instead of fetching). Usually
 * one run.
 */
export function coalescedRuns(
  deliveries: ReadonlyArray<{ stream: string; externalId: string; deleted?: boolean; carriesRecord?: boolean }>,
  taskStreams: ReadonlyArray<string>,
): Array<{ streams: string[]; ids: Record<string, string[]>; deletedIds?: Record<string, string[]>; delivered?: string[] }> {
  const byStream = new Map<string, Set<string>>();
  const deleted = new Set<string>();
  /** Streams where some delivery came without its record (or was a delete): those are fetched. */
  const fetched = new Set<string>();
  for (const { stream, externalId, deleted: isDelete, carriesRecord } of deliveries) {
    if (!taskStreams.includes(stream)) continue;
    if (!byStream.has(stream)) byStream.set(stream, new Set());
    byStream.get(stream)!.add(externalId);
    if (isDelete) deleted.add(`${stream}\u0000${externalId}`);
    if (isDelete || !carriesRecord) fetched.add(stream);
  }
  const sorted = [...byStream].map(([stream, ids]) => [stream, [...ids].sort(compareIds)] as const).sort(([a], [b]) => a.localeCompare(b));
  const runCount = Math.max(0, ...sorted.map(([, ids]) => Math.ceil(ids.length / MAX_IDS_PER_RUN)));
  return Array.from({ length: runCount }, (_, run) => {
    const ids = Object.fromEntries(
      sorted.map(([stream, all]) => [stream, all.slice(run * MAX_IDS_PER_RUN, (run + 1) * MAX_IDS_PER_RUN)] as const).filter(([, slice]) => slice.length > 0),
    );
    // A reported delete is read like any change: the run tombstones it only if the provider no longer has it.
    const deletedIds = Object.fromEntries(
      Object.entries(ids)
        .map(([stream, slice]) => [stream, slice.filter((id) => deleted.has(`${stream}\u0000${id}`))] as const)
        .filter(([, slice]) => slice.length > 0),
    );
    const delivered = Object.keys(ids).filter((stream) => !fetched.has(stream));
    return { streams: Object.keys(ids), ids, ...(Object.keys(deletedIds).length > 0 ? { deletedIds } : {}), ...(delivered.length > 0 ? { delivered } : {}) };
  });
}

/** Numeric ids in numeric order, others after them as text. */
const compareIds = (a: string, b: string) => {
  const [x, y] = [Number(a), Number(b)];
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return Number.isFinite(x) ? -1 : Number.isFinite(y) ? 1 : a.localeCompare(b);
};
