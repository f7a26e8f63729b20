import type { ConflictType } from '../conflicts/failureDecision.js';
import type { ConflictStrategy, DecidingStrategy } from '../conflicts/resolutionStrategy.js';

export const CONFLICT_RESOLUTIONS = ['accept_local', 'accept_remote', 'custom', 'reject', 'skip'] as const;
export type ConflictResolutionAction = (typeof CONFLICT_RESOLUTIONS)[number];

/** A field a person has to settle (or an error a person has to look at), on one shard and one of its records. */
export interface Conflict {
  id: string;
  tenantId: string;
  type: ConflictType;
  status: 'open' | 'resolved';
  shardId: string;
  shardType: string;
  connectionId: string;
  stream: string;
  externalId: string;
  taskId: string;
  executionId?: string;
  /** Found by an execution: the record is a failure of it until this is resolved. */
  failureId?: string;
  /** DataMismatch: the field, its base and both sides' values. */
  path?: string;
  base?: unknown;
  local?: unknown;
  remote?: unknown;
  strategy?: ConflictStrategy;
  decidedBy?: DecidingStrategy;
  /** The provider's or our own explanation (ValidationError, RetryExhausted, AuthError). */
  message?: string;
  createdAt: string;
  resolvedAt?: string;
  resolution?: { action: ConflictResolutionAction; value?: unknown; by?: string };
}
