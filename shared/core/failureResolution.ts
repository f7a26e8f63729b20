import type { Failure } from './schemas/failure.js';

/**
 * A failure after a later run synced its record: resolved, naming that run. Undefined when there
 * is nothing to close: a failure no longer open (retried, resolved) is left as it is, and so is
 * one that waits for a person on a conflict (its conflict's resolution closes it).
 */
export function resolvedBySync<F extends Failure>(failure: F, executionId: string, at: string): F | undefined {
  if (failure.status !== 'open' || failure.conflictId !== undefined) return undefined;
  return { ...failure, status: 'resolved', resolvedBy: executionId, resolvedAt: at };
}
