/** Who did something: an operator through the API, the engine itself, a schedule or a provider's webhook. */
export type ActorType = 'operator' | 'system' | 'schedule' | 'webhook';

/**
 * An append-only audit entry in the `activity` container: written once, never updated, removed
 * only by retention. It names what happened and to what by id; it never carries secrets or
 * record data (callers pass ids and counts in `details`).
 */
export interface ActivityEntry {
  id: string;
  tenantId: string;
  /** When it happened (ISO 8601, UTC). */
  at: string;
  actor: { type: ActorType; id?: string };
  /** `<subject>.<verb>`, e.g. `execution.started`, `failure.retried`, `connection.updated`. */
  action: string;
  subject: { kind: string; id: string };
  executionId?: string;
  taskId?: string;
  details?: Record<string, unknown>;
  /** Seconds until the store expires the entry: the tenant's `retention.activityDays`. */
  ttl?: number;
}
