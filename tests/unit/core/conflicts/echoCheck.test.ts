import { describe, expect, it } from 'vitest';
import { checkEcho } from '../../../../shared/core/conflicts/echoCheck.js';
import { snapshotOf } from '../../../../shared/core/conflicts/snapshot.js';

describe('echo check', () => {
  const written = snapshotOf({ email: 'ann@new.com', address: { city: 'Oslo' } });

  it('recognises our own write coming back, whatever the key order: nothing to write or queue', () => {
    expect(checkEcho(snapshotOf({ address: { city: 'Oslo' }, email: 'ann@new.com' }).hash, written)).toBe('echo');
  });

  it('passes a record that moved on since the last write to detection', () => {
    expect(checkEcho(snapshotOf({ email: 'ann@new.com', address: { city: 'Bergen' } }).hash, written)).toBe('changed');
  });

  it('passes a record never synced both ways to detection', () => {
    expect(checkEcho(written.hash, undefined)).toBe('changed');
  });
});
