import { describe, expect, it } from 'vitest';
import { detectConflicts } from '../../../../shared/core/conflicts/conflictDetector.js';
import { snapshotOf } from '../../../../shared/core/conflicts/snapshot.js';

const base = { email: 'ann@old.com', phone: '555', company: 'Acme', address: { city: 'Oslo', postcode: '0150' }, tags: ['a'] };
const detect = (local: Record<string, unknown>, remote: Record<string, unknown>, from: Record<string, unknown> = base) =>
  detectConflicts(snapshotOf(from), snapshotOf(local), snapshotOf(remote));

describe('three-way conflict detection', () => {
  it('takes a field changed on one side only from that side', () => {
    const detection = detect({ ...base, phone: '556' }, { ...base, company: 'Acme Inc' });
    expect(detection.conflicts).toEqual([]);
    expect(detection.merged).toEqual({ ...base, phone: '556', company: 'Acme Inc' });
    expect(detection.localOnly).toEqual([{ path: 'phone', keys: ['phone'], value: '556' }]);
    expect(detection.remoteOnly).toEqual([{ path: 'company', keys: ['company'], value: 'Acme Inc' }]);
  });

  it('reports a field both sides changed differently, with the base, and holds the local value meanwhile', () => {
    const detection = detect({ ...base, email: 'ann@local.com' }, { ...base, email: 'ann@remote.com' });
    expect(detection.conflicts).toEqual([{ path: 'email', keys: ['email'], base: 'ann@old.com', local: 'ann@local.com', remote: 'ann@remote.com' }]);
    expect(detection.merged.email).toBe('ann@local.com');
    expect(detection.localOnly).toEqual([]);
    expect(detection.remoteOnly).toEqual([]);
  });

  it('sees no conflict where both sides made the same change', () => {
    const detection = detect({ ...base, email: 'ann@new.com', phone: '1' }, { ...base, email: 'ann@new.com', company: 'B' });
    expect(detection.conflicts).toEqual([]);
    expect(detection.localOnly.map((c) => c.path)).toEqual(['phone']);
    expect(detection.remoteOnly.map((c) => c.path)).toEqual(['company']);
  });

  it('combines different nested fields of one object', () => {
    const detection = detect({ ...base, address: { city: 'Bergen', postcode: '0150' } }, { ...base, address: { city: 'Oslo', postcode: '5003' } });
    expect(detection.conflicts).toEqual([]);
    expect(detection.merged.address).toEqual({ city: 'Bergen', postcode: '5003' });
  });

  it('conflicts on an array both sides changed, as one value', () => {
    const detection = detect({ ...base, tags: ['a', 'b'] }, { ...base, tags: ['a', 'c'] });
    expect(detection.conflicts).toEqual([{ path: 'tags', keys: ['tags'], base: ['a'], local: ['a', 'b'], remote: ['a', 'c'] }]);
  });

  it('conflicts on the whole object where one side replaced it and the other edited inside it', () => {
    const detection = detect({ ...base, address: 'Bergen' }, { ...base, address: { city: 'Oslo', postcode: '5003' } });
    expect(detection.conflicts).toEqual([{ path: 'address', keys: ['address'], base: base.address, local: 'Bergen', remote: { city: 'Oslo', postcode: '5003' } }]);
  });

  it('keeps null and missing apart: a removal against a null is a conflict, a removal on one side is taken', () => {
    const { phone: _removed, ...withoutPhone } = base;
    expect(detect({ ...base, phone: null }, withoutPhone).conflicts).toEqual([{ path: 'phone', keys: ['phone'], base: '555', local: null, remote: undefined }]);
    const detection = detect(withoutPhone, { ...base, company: 'B' });
    expect(detection.merged).not.toHaveProperty('phone');
    expect(detection.localOnly).toEqual([{ path: 'phone', keys: ['phone'], value: undefined }]);
  });

  it('takes fields added on either side and drops a field both sides removed', () => {
    const { company: _gone, ...withoutCompany } = base;
    const detection = detect({ ...withoutCompany, vip: true }, { ...withoutCompany, note: null });
    expect(detection.merged).toEqual({ ...withoutCompany, vip: true, note: null });
    expect(detection.conflicts).toEqual([]);
  });

  it('lists fields by path whatever order they arrived in', () => {
    const local = { zeta: 1, alpha: 1, ...base };
    const remote = { ...base, alpha: 2, zeta: 2 };
    expect(detect(local, remote, { ...base, alpha: 0, zeta: 0 }).conflicts.map((c) => c.path)).toEqual(['alpha', 'zeta']);
  });

  it('trusts equal hashes: a side whose hash is the base hash did not change', () => {
    const stale = { data: { ...base, email: 'ignored@local.com' }, hash: snapshotOf(base).hash };
    const remote = snapshotOf({ ...base, email: 'ann@remote.com' });
    const detection = detectConflicts(snapshotOf(base), stale, remote);
    expect(detection.conflicts).toEqual([]);
    expect(detection.merged).toBe(remote.data);
    expect(detection.remoteOnly).toEqual([{ path: 'email', keys: ['email'], value: 'ann@remote.com' }]);
  });

  it('reports nothing when both sides hold the same data', () => {
    const same = { ...base, email: 'ann@new.com' };
    expect(detect(same, { ...same })).toMatchObject({ merged: same, localOnly: [], remoteOnly: [], conflicts: [] });
  });
});
