import { z } from 'zod';
import { FORBIDDEN_KEYS, TARGET_PATH } from '../conversion/paths.js';
import type { Detection, FieldConflict } from './conflictDetector.js';
import type { ConflictContext, ConflictHookRegistry } from './customHooks.js';
import { sameValue, withChanges, type FieldChange } from './fieldChanges.js';
import { snapshotOf, type Snapshot } from './snapshot.js';

/**
 * How a task settles fields both sides changed. "Source" is the provider's record (the remote
 * side), "target" the shard (the local side). Fields changed on one side only always flow to the
 * other, whatever the strategy: a strategy only ever decides a conflicting field.
 *   source_wins / target_wins  that side's value
 *   newest_wins                the side modified last; equal or missing timestamps → `safeSide`
 *   merge                      one-sided changes combine, overlapping ones go to `fallback`
 *   manual                     a person decides; both sides keep their value meanwhile
 *   custom                     the stream's hook, registered in code
 */
export const conflictStrategies = ['source_wins', 'target_wins', 'newest_wins', 'merge', 'manual', 'custom'] as const;
export type ConflictStrategy = (typeof conflictStrategies)[number];
export const decidingStrategies = ['source_wins', 'target_wins', 'newest_wins', 'manual', 'custom'] as const;
/** The strategy that settles a field in the end: `merge` hands overlapping fields to its fallback. */
export type DecidingStrategy = (typeof decidingStrategies)[number];

const fieldPath = z
  .string()
  .regex(TARGET_PATH, 'must be a dotted path of identifiers, such as "address.city"')
  .refine((path) => !path.split('.').some((key) => FORBIDDEN_KEYS.has(key)), 'must not use __proto__, prototype or constructor');

export const conflictResolution = z.strictObject({
  strategy: z.enum(conflictStrategies).default('merge'),
  /** Decides the fields both sides changed when the strategy (task's or field's) is `merge`. */
  fallback: z.enum(decidingStrategies).default('manual'),
  /** newest_wins without a clear newest side. */
  safeSide: z.enum(['source', 'target']).default('source'),
  /** Per-field strategies; a path also covers the fields under it, and the most specific path applies. */
  fields: z.record(fieldPath, z.enum(conflictStrategies)).default({}),
});
export type ConflictResolution = z.infer<typeof conflictResolution>;
export type ConflictResolutionInput = z.input<typeof conflictResolution>;

export type FieldOutcome = 'local' | 'remote' | 'hook_value' | 'manual';

/** A conflict record: both values and the base, the strategy configured and the one that decided, the outcome. */
export interface FieldDecision extends FieldConflict {
  strategy: ConflictStrategy;
  decidedBy: DecidingStrategy;
  outcome: FieldOutcome;
  /** The value both sides hold now (`undefined`: removed); not set for `manual`. */
  value?: unknown;
  /** Why, where the strategy alone does not say: a newest_wins tie, a missing hook. */
  reason?: string;
}

export interface Resolution {
  /** What both sides should hold; a field left to a person keeps the local value. */
  data: Record<string, unknown>;
  /** Field writes that bring the local side to `data`. */
  toLocal: FieldChange[];
  /** Field writes that bring the remote side to `data`, leaving fields left to a person alone. */
  toRemote: FieldChange[];
  decisions: FieldDecision[];
  unresolved: FieldConflict[];
  /**
   * The base to keep once the inbound record is applied locally: the remote record as read. Until the
   * write-back lands, the remote still holds that, so a redelivery of the same record changes nothing.
   */
  received: Snapshot;
  /** The base to keep once `toRemote` is written: an echo of that write then reads as unchanged. */
  synced: Snapshot;
}

/**
 * Settles every conflict of a detection by the configured strategies and says what each side has
 * to be given. Fields left to a person stay conflicts: each side keeps its value and the kept
 * bases keep the old base value there, so the next detection finds the same conflict again.
 */
export function resolveConflicts(detection: Detection, config: ConflictResolution, context: ConflictContext, hooks: ConflictHookRegistry): Resolution {
  const toLocal = detection.remoteOnly.slice();
  const toRemote = detection.localOnly.slice();
  const decisions: FieldDecision[] = [];
  const unresolved: FieldConflict[] = [];
  const newest = newestSide(context, config.safeSide === 'source' ? 'remote' : 'local');
  for (const conflict of detection.conflicts) {
    const decision = decide(conflict, config, context, hooks, newest);
    decisions.push(decision);
    if (decision.outcome === 'manual') {
      unresolved.push(conflict);
      continue;
    }
    const { path, keys } = conflict;
    if (!sameValue(decision.value, conflict.local)) toLocal.push({ path, keys, value: decision.value });
    if (!sameValue(decision.value, conflict.remote)) toRemote.push({ path, keys, value: decision.value });
  }

  // The merged data holds the one-sided changes already: only decided values it lacks are new.
  const data = withChanges(detection.merged, toLocal.slice(detection.remoteOnly.length));
  if (unresolved.length === 0) {
    const synced = toRemote.length === 0 ? detection.remote : snapshotOf(data);
    return { data, toLocal, toRemote, decisions, unresolved, received: detection.remote, synced };
  }
  const keepBase = unresolved.map(({ path, keys, base }) => ({ path, keys, value: base }));
  return {
    data,
    toLocal,
    toRemote,
    decisions,
    unresolved,
    received: snapshotOf(withChanges(detection.remote.data, keepBase)),
    synced: snapshotOf(withChanges(data, keepBase)),
  };
}

type Side = 'local' | 'remote';

/** The side modified last, or the safe side when the timestamps are equal, missing or unreadable. */
function newestSide(context: ConflictContext, safe: Side): { side: Side; tie: boolean } {
  const local = Date.parse(context.localModifiedAt ?? '');
  const remote = Date.parse(context.remoteModifiedAt ?? '');
  if (Number.isNaN(local) || Number.isNaN(remote) || local === remote) return { side: safe, tie: true };
  return { side: local > remote ? 'local' : 'remote', tie: false };
}

function decide(conflict: FieldConflict, config: ConflictResolution, context: ConflictContext, hooks: ConflictHookRegistry, newest: { side: Side; tie: boolean }): FieldDecision {
  const strategy = strategyFor(config, conflict.path);
  const decidedBy = strategy === 'merge' ? config.fallback : strategy;
  const settled = (outcome: FieldOutcome, value: unknown, reason?: string): FieldDecision => {
    const { path, keys, base, local, remote } = conflict;
    const decision: FieldDecision = { path, keys, base, local, remote, strategy, decidedBy, outcome };
    if (outcome !== 'manual') decision.value = value;
    if (reason !== undefined) decision.reason = reason;
    return decision;
  };
  switch (decidedBy) {
    case 'source_wins':
      return settled('remote', conflict.remote);
    case 'target_wins':
      return settled('local', conflict.local);
    case 'newest_wins':
      return settled(newest.side, conflict[newest.side], newest.tie ? `no newer side by modified time: ${config.safeSide} (the safe side)` : undefined);
    case 'manual':
      return settled('manual', undefined);
    case 'custom': {
      const hook = hooks.get(context.stream);
      if (!hook) return settled('manual', undefined, `no conflict hook registered for stream "${context.stream}"`);
      const answer = hook(conflict, context);
      if (answer.take === 'value') return settled('hook_value', answer.value);
      return settled(answer.take, answer.take === 'manual' ? undefined : conflict[answer.take]);
    }
  }
}

/** The most specific configured path that is the field or one of its parents; the task's strategy otherwise. */
function strategyFor(config: ConflictResolution, path: string): ConflictStrategy {
  let best: string | undefined;
  for (const field of Object.keys(config.fields)) {
    const covers = path === field || (path.startsWith(field) && path[field.length] === '.');
    if (covers && (best === undefined || field.length > best.length)) best = field;
  }
  return best === undefined ? config.strategy : config.fields[best]!;
}
