/**
 * A write-back cannot map its shard yet: a linked record's shard has not synced (its link is still
 * `pending`), or another write-back is creating it at the target right now. Retried later, never
 * written half-mapped.
 */
export class ReferencePendingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReferencePendingError';
  }
}
