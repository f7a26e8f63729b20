import { z } from 'zod';
import { parseProviderTime } from '../../core/executions/incrementalCursor.js';

/**
 * Who keeps a document whose update Frappe refused as stale (417 `TimestampMismatchError`):
 * `ours` the shard's values, `theirs` the site's, `conflict` a person decides.
 */
export type TimestampMismatchDecision = 'ours' | 'theirs' | 'conflict';

/** One side of a refused update: when it last changed, in epoch ms (undefined: no readable time). */
export interface MismatchSide {
  modifiedMs: number | undefined;
}

/** A code-level decision for one DocType; pure, so a redelivered write-back decides as the first did. */
export type TimestampMismatchHook = (ours: MismatchSide, theirs: MismatchSide) => TimestampMismatchDecision;

/** Hooks by DocType (`Sales Invoice`), registered in code. */
export type TimestampMismatchHooks = Readonly<Record<string, TimestampMismatchHook>>;

/** A connection's per-DocType rule; `last_write_wins` is the default for any DocType not named. */
export const timestampMismatchRules = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9 _-]{0,139}$/, 'must be a DocType name'), z.enum(['last_write_wins', 'ours', 'theirs', 'conflict']))
  .default({})
  .describe(
    'How a stale update (417 TimestampMismatchError) is settled, by DocType: `last_write_wins` (default) keeps the side modified last, `ours` the shard, `theirs` the site, `conflict` asks a person. It decides the fields both sides changed; fields one side changed still reach the other.',
  );
export type TimestampMismatchRules = z.output<typeof timestampMismatchRules>;

/** Last write wins: the later modified time; equal or unreadable times cannot say, so a person decides. */
export function lastWriteWins(ours: MismatchSide, theirs: MismatchSide): TimestampMismatchDecision {
  if (ours.modifiedMs === undefined || theirs.modifiedMs === undefined || ours.modifiedMs === theirs.modifiedMs) return 'conflict';
  return ours.modifiedMs > theirs.modifiedMs ? 'ours' : 'theirs';
}

/**
 * Pure: the decision for a refused update of a `doctype` document. The connection's rule for the
 * DocType comes first (a tenant's explicit choice), then a code hook, then last write wins.
 * `oursModifiedAt` is the shard's change time (ISO), `theirsModified` the document's `modified`
 * as Frappe holds it now (`2024-01-01 10:00:00.123456`, the site's time, read as UTC).
 */
export function decideTimestampMismatch(
  doctype: string,
  oursModifiedAt: string | undefined,
  theirsModified: unknown,
  rules: TimestampMismatchRules,
  hooks: TimestampMismatchHooks = {},
): TimestampMismatchDecision {
  const ours = { modifiedMs: parseProviderTime(oursModifiedAt) };
  const theirs = { modifiedMs: parseProviderTime(theirsModified) };
  const rule = Object.hasOwn(rules, doctype) ? rules[doctype] : undefined;
  if (rule !== undefined && rule !== 'last_write_wins') return rule;
  const hook = rule === undefined && Object.hasOwn(hooks, doctype) ? hooks[doctype] : undefined;
  return (hook ?? lastWriteWins)(ours, theirs);
}
