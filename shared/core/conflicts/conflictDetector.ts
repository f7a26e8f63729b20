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

/**
 * Three-way, field-level detection against the last synced state. A field changed on one side
 * only is taken from that side; a field both sides changed alike is no conflict; where both
 * changed it differently the conflict sits at the deepest path where both still hold objects (so
 * an object replaced by a plain value on one side conflicts as a whole). Lists come sorted by keys,
 * so the result does not depend on the order fields arrived in.
 */
export function detectConflicts(base: Snapshot, local: Snapshot, remote: Snapshot): Detection {
  // Hashes settle the common cases without reading a field.
  if (local.hash === remote.hash) return { remote, merged: local.data, localOnly: [], remoteOnly: [], conflicts: [] };
  if (local.hash === base.hash) return { remote, merged: remote.data, localOnly: [], remoteOnly: sorted(changesFrom(base.data, remote.data)), conflicts: [] };
  if (remote.hash === base.hash) return { remote, merged: local.data, localOnly: sorted(changesFrom(base.data, local.data)), remoteOnly: [], conflicts: [] };

  const detection: Detection = { remote, merged: local.data, localOnly: [], remoteOnly: [], conflicts: [] };
  detection.merged = mergeRecords(base.data, local.data, remote.data, [], detection);
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

/**
 * Both sides are objects that differ: decide key by key, starting from a copy of the local side
 * (most fields agree, and one copy is cheaper than building the object key by key). Keys only
 * the base has were removed on both sides.
 */
function mergeRecords(base: unknown, local: Record<string, unknown>, remote: Record<string, unknown>, keys: string[], out: Detection): Record<string, unknown> {
  const baseRecord = isRecord(base) ? base : undefined;
  const merged: Record<string, unknown> = { ...local };
  let shared = 0;
  for (const key of Object.keys(local)) {
    const mine = local[key];
    if (mine === undefined) continue;
    const theirs = fieldOf(remote, key);
    if (theirs !== undefined) shared++;
    if (mine === theirs) continue;
    const value = mergeKey(baseRecord, key, mine, theirs, keys, out);
    if (value === undefined) delete merged[key];
    else if (value !== mine) putField(merged, key, value);
  }
  const remoteKeys = Object.keys(remote);
  // Every remote field was met above unless the remote has more fields than it shares with the local side.
  if (remoteKeys.length === shared) return merged;
  for (const key of remoteKeys) {
    const theirs = fieldOf(remote, key);
    if (theirs === undefined || fieldOf(local, key) !== undefined) continue;
    const value = mergeKey(baseRecord, key, undefined, theirs, keys, out);
    if (value !== undefined) putField(merged, key, value);
  }
  return merged;
}

function mergeKey(base: Record<string, unknown> | undefined, key: string, local: unknown, remote: unknown, keys: string[], out: Detection): unknown {
  keys.push(key);
  const value = mergeField(base && fieldOf(base, key), local, remote, keys, out);
  keys.pop();
  return value;
}

function mergeField(base: unknown, local: unknown, remote: unknown, keys: string[], out: Detection): unknown {
  // Objects on both sides: one walk finds them equal, otherwise each key is decided on its own.
  if (isRecord(local) && isRecord(remote)) return sameValue(local, remote) ? local : mergeRecords(base, local, remote, keys, out);
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
