import type { FieldConflict } from './conflictDetector.js';

/** What resolution knows about the record beyond the conflicting field. */
export interface ConflictContext {
  stream: string;
  /** Each side's modified timestamp (ISO 8601), when the side reports one. */
  localModifiedAt?: string;
  remoteModifiedAt?: string;
}

/** A hook's answer for one field: a side's value, a value of its own (`undefined` removes the field), or a person decides. */
export type HookDecision = { take: 'local' } | { take: 'remote' } | { take: 'value'; value: unknown } | { take: 'manual' };

/**
 * Custom resolution for a stream's fields (strategy `custom`). Pure: the same conflict and context
 * give the same decision, so a redelivered batch resolves exactly as the first attempt did.
 */
export type ConflictHook = (conflict: FieldConflict, context: ConflictContext) => HookDecision;

/** Hooks by stream name, registered in code and handed to resolution (no global registry). */
export type ConflictHookRegistry = ReadonlyMap<string, ConflictHook>;
