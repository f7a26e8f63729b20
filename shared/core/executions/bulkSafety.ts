/** Streams smaller than this are not guarded by the bulk-change share. */
export const BULK_SAFETY_MIN_BASELINE = 20;

export interface BulkSafetyCheck {
  /** Records the stream had at its last successful run (0 when it never had one). */
  baseline: number;
  /** Records of the stream this execution has already updated. */
  updatedSoFar: number;
  /** Records the batch about to be written would update (or a complete read would delete). */
  updatedInBatch: number;
  /** Share of the baseline a run may change before someone confirms (1 = no limit). */
  maxChangeShare: number;
  /** Below this baseline a stream is too small for shares to mean much. */
  minBaseline: number;
}

/**
 * Whether writing this batch would take the run past its share of changes — the signature of a
 * broken source (a bad export, a provider bug) about to rewrite everything.
 */
export function exceedsBulkChangeLimit(check: BulkSafetyCheck): boolean {
  if (check.maxChangeShare >= 1 || check.baseline < check.minBaseline || check.updatedInBatch === 0) return false;
  return check.updatedSoFar + check.updatedInBatch > check.maxChangeShare * check.baseline;
}
