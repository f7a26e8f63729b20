import { describe, expect, it } from 'vitest';
import { detectConflicts } from '../../../../shared/core/conflicts/conflictDetector.js';
import { snapshotOf } from '../../../../shared/core/conflicts/snapshot.js';

/** `fullName` is computed from firstName and lastName (a template, say). */
const computed = new Set(['fullName']);
const base = { firstName: 'Ann', lastName: 'Smith', fullName: 'Ann Smith', phone: '555' };
const detect = (local: Record<string, unknown>, remote: Record<string, unknown>) =>
  detectConflicts(snapshotOf(base), snapshotOf(local), snapshotOf(remote), computed);

describe('three-way detection with computed fields', () => {
  it('inputs changed on both sides, different ones: no conflict, and the computed field is not given to the remote side', () => {
    const detection = detect({ ...base, firstName: 'Local', fullName: 'Local Smith' }, { ...base, lastName: 'Remote', fullName: 'Ann Remote' });
    expect(detection.conflicts).toEqual([]);
    expect(detection.localOnly.map((change) => change.path)).toEqual(['firstName']);
    expect(detection.remoteOnly.map((change) => change.path)).toEqual(['fullName', 'lastName']);
  });

  it('the same input changed differently on both sides: the conflict is on the input alone', () => {
    const detection = detect({ ...base, firstName: 'Local', fullName: 'Local Smith' }, { ...base, firstName: 'Remote', fullName: 'Remote Smith' });
    expect(detection.conflicts.map((conflict) => conflict.path)).toEqual(['firstName']);
  });

  it('an input changed on the local side alone: only the input goes to the remote side', () => {
    const detection = detect({ ...base, firstName: 'Local', fullName: 'Local Smith' }, base);
    expect(detection.localOnly.map((change) => change.path)).toEqual(['firstName']);
    expect(detection.merged.fullName).toBe('Local Smith');
  });

  it('an input changed on the remote side alone: the computed field comes with it', () => {
    const detection = detect({ ...base, phone: '556' }, { ...base, lastName: 'Remote', fullName: 'Ann Remote' });
    expect(detection.conflicts).toEqual([]);
    expect(detection.merged).toEqual({ firstName: 'Ann', lastName: 'Remote', fullName: 'Ann Remote', phone: '556' });
  });

  it('without computed fields a field both sides changed is still a conflict', () => {
    const detection = detectConflicts(snapshotOf(base), snapshotOf({ ...base, fullName: 'L' }), snapshotOf({ ...base, fullName: 'R' }));
    expect(detection.conflicts.map((conflict) => conflict.path)).toEqual(['fullName']);
  });
});
