import type { BatchOperation } from '../../ports/store.js';
import type { ConnectorState, Execution, Marker, StreamCursor } from '../../core/schemas/execution.js';
import { nextCursor, readToEnd } from '../../core/executions/incrementalCursor.js';
import { allStreamsDone, finalStatus, streamsReadyToStart } from '../../core/executions/executionProgress.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import { applyExecutionEvent } from './executionLifecycle.js';
import { renewExecutionLeases } from './executionLeases.js';
import { countOnce, streamIncrements } from './executionCounters.js';
import { requestPages } from './pageRequests.js';
import { applyDeletesByAbsence } from './deletesByAbsence.js';

/**
 * Moves a running execution forward: starts the streams whose dependencies are done (their first
 * page, once, guarded by a start marker) and, when every stream is done, finishes it. Safe to call
 * from every batch and every redelivery: it only acts on what the stored counters say.
 */
export async function advanceExecution(deps: SyncDeps, tenantId: string, executionId: string): Promise<void> {
  const execution = await deps.store.read<Execution>('executions', tenantId, executionId);
  if (!execution || execution.status !== 'running') return;
  await renewExecutionLeases(deps, execution);
  for (const stream of streamsReadyToStart(execution)) {
    await requestPages(deps, { tenantId, executionId, stream }, { first: 1, last: 1 });
    await countOnce(deps, tenantId, executionId, ids.streamStartMarker(executionId, stream), streamIncrements(stream, {}, { started: 1 }));
  }
  if (allStreamsDone(execution)) {
    const outcome = finalStatus(execution);
    // Deletes found by absence are written before the run finishes, or wait for a confirmation.
    if ((await applyDeletesByAbsence(deps, execution, outcome)) === 'paused') return;
    // The cursors move in the same transaction that completes the run: a partial run moves those
    // of the streams it read to their end (its failed records stay open failures).
    await applyExecutionEvent(deps, tenantId, executionId, { type: 'finish', outcome }, {}, { type: 'system' }, () => cursorUpdates(deps, execution, outcome));
  }
}

/**
 * Upserts of the incremental cursors and connector states this finished run moves (see readToEnd
 * and nextCursor): a connector's state is the one after the stream's last page (kept on that
 * page's fetch marker), stored whenever the stream was read to its end.
 */
async function cursorUpdates(deps: SyncDeps, execution: Execution, outcome: 'success' | 'partial' | 'failed'): Promise<BatchOperation[]> {
  const restricted = execution.ids !== undefined;
  const complete = new Set(Object.values(execution.streams).filter((progress) => readToEnd(outcome, progress)).map((progress) => progress.stream));
  // Nothing can move: the run's markers are not even read.
  if (execution.dryRun || restricted || complete.size === 0) return [];
  const seen = new Map<string, string>();
  const states = new Map<string, unknown>();
  let continuationToken: string | undefined;
  do {
    const page = await deps.store.query<Marker>(
      'executions',
      execution.tenantId,
      { filters: [{ path: 'kind', op: '=', value: 'marker' }, { path: 'executionId', op: '=', value: execution.id }] },
      { maxItems: 1000, ...(continuationToken ? { continuationToken } : {}) },
    );
    for (const marker of page.items) {
      if (marker.connectorState) states.set(marker.connectorState.stream, marker.connectorState.state);
      if (!marker.stream || !marker.maxModified) continue;
      const current = seen.get(marker.stream);
      if (!current || Date.parse(marker.maxModified) > Date.parse(current)) seen.set(marker.stream, marker.maxModified);
    }
    continuationToken = page.continuationToken;
  } while (continuationToken);
  const operations: BatchOperation[] = [];
  for (const stream of complete) {
    const id = ids.cursor(execution.connectionId, stream);
    const existing = await deps.store.read<StreamCursor>('executions', execution.tenantId, id);
    const value = nextCursor({ existing: existing?.value, seen: seen.get(stream), mode: execution.mode, restricted, readToEnd: true });
    // An unmoved cursor is not rewritten: an unchanged re-run writes as little as it can.
    if (value === undefined || value === existing?.value) continue;
    const cursor: StreamCursor = {
      id,
      tenantId: execution.tenantId,
      kind: 'cursor',
      connectionId: execution.connectionId,
      stream,
      value,
      executionId: execution.id,
      updatedAt: deps.clock.now().toISOString(),
    };
    operations.push({ op: 'upsert', doc: cursor, ...(existing ? { ifMatch: existing._etag } : {}) });
  }
  for (const stream of complete) {
    if (!states.has(stream)) continue;
    operations.push(await connectorStateUpdate(deps, execution, stream, states.get(stream)));
  }
  return operations;
}

/** The upsert storing a connector's state after a complete read; conditional on the stored one, so two finishing runs cannot both win. */
async function connectorStateUpdate(deps: SyncDeps, execution: Execution, stream: string, state: unknown): Promise<BatchOperation> {
  const id = ids.connectorState(execution.connectionId, stream);
  const existing = await deps.store.read<ConnectorState>('executions', execution.tenantId, id);
  const doc: ConnectorState = {
    id,
    tenantId: execution.tenantId,
    kind: 'connector_state',
    connectionId: execution.connectionId,
    stream,
    state,
    executionId: execution.id,
    updatedAt: deps.clock.now().toISOString(),
  };
  return { op: 'upsert', doc, ...(existing ? { ifMatch: existing._etag } : {}) };
}
