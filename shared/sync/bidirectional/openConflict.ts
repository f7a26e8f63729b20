import { createHash } from 'node:crypto';
import { ConflictError } from '../../ports/conflictError.js';
import type { Conflict } from '../../core/schemas/conflict.js';
import type { SyncDeps } from '../syncDeps.js';
import type { Failure } from '../../core/schemas/failure.js';
import { ids } from '../../core/ids.js';
import type { FieldConflict } from '../../core/conflicts/conflictDetector.js';
import type { ConflictStrategy } from '../../core/conflicts/resolutionStrategy.js';

/** One open conflict per shard, record and field (or error type): a conflict found again is the same conflict. */
export const conflictId = (shardId: string, source: string, subject: string) =>
  `conf_${createHash('sha256').update(`${shardId}\u0000${source}\u0000${subject}`).digest('base64url').slice(0, 32)}`;

/**
 * Opens a conflict unless the same one is open already (its values are refreshed then). A
 * resolved one with the same id is opened again: the field conflicts anew. Idempotent.
 */
export async function openConflict(deps: SyncDeps, conflict: Omit<Conflict, 'id' | 'status' | 'createdAt'> & { subject: string }): Promise<Conflict> {
  const { subject, message, ...fields } = conflict;
  const id = conflictId(fields.shardId, `${fields.connectionId}/${fields.stream}/${fields.externalId}`, subject);
  // The message may quote the provider's error: no credential it echoed is stored.
  const doc: Conflict = { ...fields, ...(message === undefined ? {} : { message: deps.redaction.redact(message) }), id, status: 'open', createdAt: deps.clock.now().toISOString() };
  try {
    return await deps.store.create('conflicts', doc);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const existing = await deps.store.read<Conflict>('conflicts', fields.tenantId, id);
    if (existing?.status !== 'open') return deps.store.upsert('conflicts', doc);
    // Still open: the newest values, keeping what linked it (the execution and failure that found it).
    const { _etag: _e, _ts: _t, ...open } = existing;
    return deps.store.upsert('conflicts', { ...open, ...doc, createdAt: open.createdAt });
  }
}

/** The record a conflict is about: its shard, where it lives at the provider, and the task that syncs it. */
export type ConflictSubject = Pick<Conflict, 'tenantId' | 'shardId' | 'shardType' | 'connectionId' | 'stream' | 'externalId' | 'taskId' | 'executionId'>;

/**
 * A field both sides changed that the strategy left to a person. Found by an execution, the
 * record is also a failure of it, linked both ways, until the conflict is resolved.
 */
export async function openFieldConflict(deps: SyncDeps, subject: ConflictSubject, conflict: FieldConflict, strategy: ConflictStrategy): Promise<Conflict> {
  const { path, base, local, remote } = conflict;
  const { executionId } = subject;
  if (executionId === undefined) return openConflict(deps, { ...subject, type: 'DataMismatch', subject: path, path, base, local, remote, strategy });
  const id = conflictId(subject.shardId, `${subject.connectionId}/${subject.stream}/${subject.externalId}`, path);
  const failure: Failure = {
    id: ids.failure(executionId, 'conflict', id),
    tenantId: subject.tenantId,
    executionId,
    taskId: subject.taskId,
    stream: subject.stream,
    stage: 'save',
    errorClass: 'DataMismatch',
    message: `"${path}" changed on both sides; conflict ${id} waits for a person`,
    payloadRef: { externalId: subject.externalId },
    attempts: 1,
    status: 'open',
    conflictId: id,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.store.upsert('failures', failure);
  return openConflict(deps, { ...subject, type: 'DataMismatch', subject: path, path, base, local, remote, strategy, failureId: failure.id });
}
