import { z } from 'zod';

/** Who did something: an operator through the API, the engine itself, a schedule or a provider's webhook. */
const actorType = z.enum(['operator', 'system', 'schedule', 'webhook']);
export type ActorType = z.infer<typeof actorType>;

/**
 * An append-only audit entry in the `activity` container: written once, never updated, removed
 * only by retention. It names what happened and to what by id; it never carries secrets or
 * record data (callers pass ids and counts in `details`).
 */
export const activityEntry = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    /** When it happened (ISO 8601, UTC). */
    at: z.string(),
    actor: z.object({ type: actorType, id: z.string().optional().describe('key:<id>, entra:<object id>, local-admin, a schedule id…') }),
    /** `<subject>.<verb>`, e.g. `execution.started`, `failure.retried`, `connection.updated`. */
    action: z.string().describe('`<subject>.<verb>`, e.g. `execution.started`, `failures.retried`, `connection.updated`'),
    subject: z.object({ kind: z.string(), id: z.string() }),
    executionId: z.string().optional(),
    taskId: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    /** Seconds until the store expires the entry: the tenant's `retention.activityDays` (never shown by the API). */
    ttl: z.number().optional(),
  })
  .meta({ id: 'ActivityEntry', description: 'One entry of the audit log' });
export type ActivityEntry = z.infer<typeof activityEntry>;
