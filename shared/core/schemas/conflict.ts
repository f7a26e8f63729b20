import { z } from 'zod';
import { conflictTypes } from '../conflicts/failureDecision.js';
import { conflictStrategies, decidingStrategies } from '../conflicts/resolutionStrategy.js';

export const CONFLICT_RESOLUTIONS = ['accept_local', 'accept_remote', 'custom', 'reject', 'skip'] as const;
export type ConflictResolutionAction = (typeof CONFLICT_RESOLUTIONS)[number];

/** A field a person has to settle (or an error a person has to look at), on one shard and one of its records. */
export const conflict = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    type: z.enum(conflictTypes),
    status: z.enum(['open', 'resolved']),
    shardId: z.string(),
    shardType: z.string(),
    connectionId: z.string(),
    stream: z.string(),
    externalId: z.string(),
    taskId: z.string(),
    executionId: z.string().optional(),
    /** Found by an execution: the record is a failure of it until this is resolved. */
    failureId: z.string().optional(),
    /** DataMismatch: the field, its base and both sides' values. */
    path: z.string().optional(),
    base: z.unknown().optional(),
    local: z.unknown().optional(),
    remote: z.unknown().optional(),
    strategy: z.enum(conflictStrategies).optional(),
    decidedBy: z.enum(decidingStrategies).optional(),
    /** The provider's or our own explanation (ValidationError, RetryExhausted, AuthError). */
    message: z.string().optional(),
    createdAt: z.string(),
    resolvedAt: z.string().optional(),
    resolution: z.object({ action: z.enum(CONFLICT_RESOLUTIONS), value: z.unknown().optional(), by: z.string().optional() }).optional(),
  })
  .meta({ id: 'Conflict', description: 'A field both sides changed, or an error on one record, for a person to settle' });
export type Conflict = z.infer<typeof conflict>;
