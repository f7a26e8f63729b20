import { describe, expect, it } from 'vitest';
import { detectConflicts } from '../../../../shared/core/conflicts/conflictDetector.js';
import type { ConflictContext, ConflictHook, ConflictHookRegistry } from '../../../../shared/core/conflicts/customHooks.js';
import { conflictResolution, resolveConflicts, type ConflictResolutionInput } from '../../../../shared/core/conflicts/resolutionStrategy.js';
import { snapshotOf } from '../../../../shared/core/conflicts/snapshot.js';

const base = { email: 'ann@old.com', phone: '555', company: 'Acme', address: { city: 'Oslo', postcode: '0150' } };
const local = { ...base, email: 'ann@local.com', phone: '556', address: { city: 'Bergen', postcode: '0150' } };
const remote = { ...base, email: 'ann@remote.com', company: 'Acme Inc', address: { city: 'Trondheim', postcode: '0150' } };
const detection = detectConflicts(snapshotOf(base), snapshotOf(local), snapshotOf(remote));
const noHooks: ConflictHookRegistry = new Map();
const times = { stream: 'customers', localModifiedAt: '2026-03-02T10:00:00Z', remoteModifiedAt: '2026-03-01T10:00:00Z' };

const resolve = (config: ConflictResolutionInput, context: ConflictContext = times, hooks = noHooks) => resolveConflicts(detection, conflictResolution.parse(config), context, hooks);

describe('conflict resolution config', () => {
  it('defaults to merge with conflicting fields left to a person', () => {
    expect(conflictResolution.parse({})).toEqual({ strategy: 'merge', fallback: 'manual', safeSide: 'source', fields: {} });
  });

  it('rejects a merge fallback, unknown strategies and field paths that are not dotted identifiers', () => {
    expect(conflictResolution.safeParse({ fallback: 'merge' }).success).toBe(false);
    expect(conflictResolution.safeParse({ strategy: 'last_writer' }).success).toBe(false);
    expect(conflictResolution.safeParse({ fields: { 'address..city': 'manual' } }).success).toBe(false);
    expect(conflictResolution.safeParse({ fields: { 'a.__proto__': 'manual' } }).success).toBe(false);
    expect(conflictResolution.safeParse({ extra: true }).success).toBe(false);
  });
});

describe('resolving field conflicts', () => {
  it('source_wins takes the remote value, target_wins the local one, and one-sided changes flow either way', () => {
    const source = resolve({ strategy: 'source_wins' });
    expect(source.data).toEqual({ email: 'ann@remote.com', phone: '556', company: 'Acme Inc', address: { city: 'Trondheim', postcode: '0150' } });
    expect(source.toLocal.map((c) => c.path)).toEqual(['company', 'address.city', 'email']);
    expect(source.toRemote.map((c) => c.path)).toEqual(['phone']);
    const target = resolve({ strategy: 'target_wins' });
    expect(target.data).toEqual({ email: 'ann@local.com', phone: '556', company: 'Acme Inc', address: { city: 'Bergen', postcode: '0150' } });
    expect(target.toLocal.map((c) => c.path)).toEqual(['company']);
    expect(target.toRemote.map((c) => c.path)).toEqual(['phone', 'address.city', 'email']);
  });

  it('records both values, the base, the strategy that decided and the outcome', () => {
    expect(resolve({ strategy: 'merge', fallback: 'source_wins' }).decisions[1]).toEqual({
      path: 'email', keys: ['email'], base: 'ann@old.com', local: 'ann@local.com', remote: 'ann@remote.com',
      strategy: 'merge', decidedBy: 'source_wins', outcome: 'remote', value: 'ann@remote.com',
    });
  });

  it('newest_wins takes the side modified last', () => {
    expect(resolve({ strategy: 'newest_wins' }).data.email).toBe('ann@local.com');
    expect(resolve({ strategy: 'newest_wins' }, { ...times, remoteModifiedAt: '2026-03-03T00:00:00+01:00' }).data.email).toBe('ann@remote.com');
  });

  it('newest_wins falls to the safe side when the timestamps are equal, missing or unreadable', () => {
    const tie = { stream: 'customers', localModifiedAt: '2026-03-01T11:00:00+01:00', remoteModifiedAt: '2026-03-01T10:00:00Z' };
    expect(resolve({ strategy: 'newest_wins' }, tie).decisions[0]).toMatchObject({ outcome: 'remote', reason: expect.stringContaining('source') });
    expect(resolve({ strategy: 'newest_wins', safeSide: 'target' }, tie).data.email).toBe('ann@local.com');
    expect(resolve({ strategy: 'newest_wins', safeSide: 'target' }, { stream: 'customers', localModifiedAt: times.localModifiedAt }).data.email).toBe('ann@local.com');
    expect(resolve({ strategy: 'newest_wins' }, { ...times, localModifiedAt: 'yesterday' }).data.email).toBe('ann@remote.com');
  });

  it('applies the most specific per-field strategy, a path covering the fields under it', () => {
    const resolution = resolve({ strategy: 'source_wins', fields: { address: 'target_wins', 'address.postcode': 'manual', emai: 'manual' } });
    expect(resolution.decisions.map((d) => [d.path, d.decidedBy])).toEqual([['address.city', 'target_wins'], ['email', 'source_wins']]);
  });

  it('manual leaves the field to a person: each side keeps its value and the kept bases keep the old base there', () => {
    const resolution = resolve({ strategy: 'merge' });
    expect(resolution.unresolved.map((c) => c.path)).toEqual(['address.city', 'email']);
    expect(resolution.decisions.length).toBeGreaterThan(0);
    expect(resolution.decisions.every((d) => d.outcome === 'manual' && !('value' in d))).toBe(true);
    expect(resolution.data).toEqual({ ...local, company: 'Acme Inc' });
    expect(resolution.toLocal.map((c) => c.path)).toEqual(['company']);
    expect(resolution.toRemote.map((c) => c.path)).toEqual(['phone']);
    expect(resolution.synced.data).toEqual({ ...base, phone: '556', company: 'Acme Inc' });
    expect(resolution.received.data).toEqual({ ...base, company: 'Acme Inc' });
    expect(resolution.synced.hash).toBe(snapshotOf(resolution.synced.data).hash);
  });

  it('custom asks the stream hook, which may take a side, give a value of its own or leave it to a person', () => {
    const hook: ConflictHook = (conflict) =>
      conflict.path === 'email' ? { take: 'value', value: `${String(conflict.local)}, ${String(conflict.remote)}` } : { take: 'manual' };
    const resolution = resolve({ strategy: 'custom' }, times, new Map([['customers', hook]]));
    expect(resolution.data.email).toBe('ann@local.com, ann@remote.com');
    expect(resolution.decisions.map((d) => d.outcome)).toEqual(['manual', 'hook_value']);
    expect(resolution.toLocal.map((c) => c.path)).toEqual(['company', 'email']);
    expect(resolution.toRemote.map((c) => c.path)).toEqual(['phone', 'email']);
  });

  it('custom without a hook for the stream leaves the field to a person and says why', () => {
    const resolution = resolve({ strategy: 'custom' }, times, new Map([['orders', () => ({ take: 'local' })]]));
    expect(resolution.decisions[0]).toMatchObject({ outcome: 'manual', reason: 'no conflict hook registered for stream "customers"' });
  });

  it('keeps the remote record as the base until the write-back lands, and the written data once it has; one base when nothing is written back', () => {
    const resolution = resolve({ strategy: 'target_wins' });
    expect(resolution.received).toEqual(detection.remote);
    expect(resolution.synced).toEqual(snapshotOf(resolution.data));
    const fromRemote = resolveConflicts(detectConflicts(snapshotOf(base), snapshotOf(base), snapshotOf(remote)), conflictResolution.parse({}), times, noHooks);
    expect(fromRemote.toRemote).toEqual([]);
    expect(fromRemote.synced).toEqual(fromRemote.received);
  });
});
