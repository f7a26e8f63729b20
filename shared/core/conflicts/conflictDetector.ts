import { byKeys, collectChanges, fieldOf, isRecord, putField, sameValue, type FieldChange } from './fieldChanges.js';
import type { Snapshot } from './snapshot.js';

/** A field both sides changed since the base and now disagree on; `undefined` = missing. */
export interface FieldConflict {
  path: string;
  keys: readonly string[];
  base: unknown;
  local: unknown;
  remote: unknown;
}

export interface Detection {
  /** The remote side detected against: applying the inbound record makes it the new base. */
  remote: Snapshot;
  /** The base with every one-sided change taken; conflicting fields hold the local value until resolved. */
  merged: Record<string, unknown>;
  /** Changed only locally: the remote side should be given them. */
  localOnly: FieldChange[];
  /** Changed only remotely: the local side should be given them. */
  remoteOnly: FieldChange[];
  conflicts: FieldConflict[];
}

const NOTHING_COMPUTED: ReadonlySet<string> = new Set();

/**
 * Three-way, field-level detection against the last synced state. A field changed on one side
 * only is taken from that side; a field both sides changed alike is no conflict; where both
 * changed it differently the conflict sits at the deepest path where both still hold objects (so
 * an object replaced by a plain value on one side conflicts as a whole). Lists come sorted by keys,
 * so the result does not depend on the order fields arrived in.
 *
 * `computed` fields (see conversion/computedFields.ts) follow their inputs, which are what
 * conflicts are about: they never conflict and are never given to the remote side. Where both
 * sides changed one, the merged data holds the remote value until it is computed again from the
 * merged inputs (conversion/recomputeFields.ts).
 */
export function detectConflicts(base: Snapshot, local: Snapshot, remote: Snapshot, computed: ReadonlySet<string> = NOTHING_COMPUTED): Detection {
  // Hashes settle the common cases without reading a field.
  if (local.hash === remote.hash) return { remote, merged: local.data, localOnly: [], remoteOnly: [], conflicts: [] };
  if (local.hash === base.hash) return { remote, merged: remote.data, localOnly: [], remoteOnly: sorted(changesFrom(base.data, remote.data)), conflicts: [] };
  if (remote.hash === base.hash) {
    const localOnly = changesFrom(base.data, local.data).filter((change) => !computed.has(change.path));
    return { remote, merged: local.data, localOnly: sorted(localOnly), remoteOnly: [], conflicts: [] };
  }

  const detection: Detection = { remote, merged: local.data, localOnly: [], remoteOnly: [], conflicts: [] };
  detection.merged = mergeRecords(base.data, local.data, remote.data, [], { out: detection, computed });
  sorted(detection.localOnly);
  sorted(detection.remoteOnly);
  sorted(detection.conflicts);
  return detection;
}

function changesFrom(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const out: FieldChange[] = [];
  collectChanges(before, after, [], out);
  return out;
}

/** Sorts in place; lists are short and usually in order already, which one pass confirms. */
function sorted<T extends { keys: readonly string[] }>(list: T[]): T[] {
  for (let i = 1; i < list.length; i++) if (byKeys(list[i - 1]!, list[i]!) > 0) return list.sort(byKeys);
  return list;
}

/** The detection being filled, and the computed fields' paths. */
interface Walk {
  out: Detection;
  computed: ReadonlySet<string>;
}

/**
 * Both sides are objects that differ: decide key by key, starting from a copy of the local side
 * (most fields agree, and one copy is cheaper than building the object key by key). Keys only
 * the base has were removed on both sides.
 */

function mergeRecords(base: unknown, local: Record<string, unknown>, remote: Record<string, unknown>, keys: string[], walk: Walk): Record<string, unknown> {
  const baseRecord = isRecord(base) ? base : undefined;
  const merged: Record<string, unknown> = { ...local };
  let shared = 0;
  for (const key of Object.keys(local)) {
    const mine = local[key];
    if (mine === undefined) continue;
    const theirs = fieldOf(remote, key);
    if (theirs !== undefined) shared++;
    if (mine === theirs) continue;
    const value = mergeKey(baseRecord, key, mine, theirs, keys, walk);
    if (value === undefined) delete merged[key];
    else if (value !== mine) putField(merged, key, value);
  }
  const remoteKeys = Object.keys(remote);
  // Every remote field was met above unless the remote has more fields than it shares with the local side.
  if (remoteKeys.length === shared) return merged;
  for (const key of remoteKeys) {
    const theirs = fieldOf(remote, key);
    if (theirs === undefined || fieldOf(local, key) !== undefined) continue;
    const value = mergeKey(baseRecord, key, undefined, theirs, keys, walk);
    if (value !== undefined) putField(merged, key, value);
  }
  return merged;
}

function mergeKey(base: Record<string, unknown> | undefined, key: string, local: unknown, remote: unknown, keys: string[], walk: Walk): unknown {
  keys.push(key);
  const value = mergeField(base && fieldOf(base, key), local, remote, keys, walk);
  keys.pop();
  return value;
}

function mergeField(base: unknown, local: unknown, remote: unknown, keys: string[], walk: Walk): unknown {
  const { out, computed } = walk;
  if (computed.size > 0 && computed.has(keys.join('.'))) return mergeComputed(base, local, remote, keys, out);
  // Objects on both sides: one walk finds them equal, otherwise each key is decided on its own.
  if (isRecord(local) && isRecord(remote)) return sameValue(local, remote) ? local : mergeRecords(base, local, remote, keys, walk);
  if (sameValue(local, remote)) return local;
  if (sameValue(base, local)) {
    collectChanges(base, remote, keys, out.remoteOnly);
    return remote;
  }
  if (sameValue(base, remote)) {
    collectChanges(base, local, keys, out.localOnly);
    return local;
  }
  out.conflicts.push({ path: keys.join('.'), keys: keys.slice(), base, local, remote });
  return local;
}

/**
 * A computed field, as a whole: the remote's value where it changed there (computed from the
 * remote's inputs), else the local one; the remote side is never given one.
 */
function mergeComputed(base: unknown, local: unknown, remote: unknown, keys: string[], out: Detection): unknown {
  if (sameValue(local, remote)) return local;
  if (sameValue(base, remote)) return local;
  out.remoteOnly.push({ path: keys.join('.'), keys: keys.slice(), value: remote });
  return remote;
}
