import type { ConflictResolution } from './resolutionStrategy.js';

/** A provider's word on a stale update (ProviderDefinition `settleRefusedUpdate`): whose fields stay. */
export type RefusedUpdateDecision = 'ours' | 'theirs' | 'conflict';

/**
 * Pure: the resolution a refused update is settled with. Without a provider decision, the task's.
 * With one, it decides every field both sides changed (the task's per-field strategies included:
 * the provider judged the whole document); fields one side changed still reach the other.
 */
export function refusedUpdateResolution(config: ConflictResolution, decision: RefusedUpdateDecision | undefined): ConflictResolution {
  if (decision === undefined) return config;
  const strategy = decision === 'ours' ? 'target_wins' : decision === 'theirs' ? 'source_wins' : 'manual';
  return { ...config, strategy, fields: {} };
}
