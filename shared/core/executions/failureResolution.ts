import type { Failure } from '../schemas/failure.js';

/**
 * A failure after a later run synced its record: resolved, naming that run — whether it was still
 * open or a retry had taken it over (the retry that syncs it closes it too; `retriedBy` stays).
 * Undefined when there is nothing to close: a failure resolved already is left as it is, and so
 * is one that waits for a person on a conflict (its conflict's resolution closes it).
 */
export function resolvedBySync<F extends Failure>(failure: F, executionId: string, at: string): F | undefined {
  if (failure.status === 'resolved' || failure.conflictId !== undefined) return undefined;
  return { ...failure, status: 'resolved', resolvedBy: executionId, resolvedAt: at };
}
