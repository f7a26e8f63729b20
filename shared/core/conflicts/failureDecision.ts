/** The conflict types of the original design (ARCHITECTURE.md): what a record's failure amounts to. */
export const conflictTypes = ['DataMismatch', 'ValidationError', 'AuthError', 'DuplicateKey', 'RetryExhausted'] as const;
export type ConflictType = (typeof conflictTypes)[number];

/**
 * `AutoRetry`: try the record again later with back-off. `Manual`: open a conflict for a person; the
 * record is a failure until it is resolved. `Skip`: count the record skipped.
 */
export type FailureHandling = 'AutoRetry' | 'Manual' | 'Skip';

export interface FailureDecision {
  handling: FailureHandling;
  /** Hold the connection's executions until its credentials are fixed: every other record would fail alike. */
  pauseConnection: boolean;
}

/**
 * The decision table. `attempts` is how many times the record has been tried, `limit` how many
 * attempts a data mismatch gets (the task's retry setting): the other side may have moved on while
 * we wrote, so reading again can settle it; past the limit it needs a person. Invalid data and
 * exhausted retries cannot settle themselves; a duplicate key means the record is there already.
 */
export function decideFailure(type: ConflictType, attempts: number, limit: number): FailureDecision {
  switch (type) {
    case 'DataMismatch':
      return { handling: attempts < limit ? 'AutoRetry' : 'Manual', pauseConnection: false };
    case 'ValidationError':
    case 'RetryExhausted':
      return { handling: 'Manual', pauseConnection: false };
    case 'AuthError':
      return { handling: 'Manual', pauseConnection: true };
    case 'DuplicateKey':
      return { handling: 'Skip', pauseConnection: false };
  }
}
