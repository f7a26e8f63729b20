import { describe, expect, it } from 'vitest';
import { planStreamRead } from '../../../../shared/core/executions/streamRead.js';

describe('how a run reads a stream', () => {
  const incremental = { mode: 'incremental' as const, restricted: false, cursor: '2026-03-02T00:00:00.000Z', serverFiltersModified: true };

  it('an incremental run with a cursor reads only what changed when the provider filters by modification time', () => {
    expect(planStreamRead(incremental)).toEqual({ kind: 'incremental' });
  });

  it('an incremental run without a cursor reads everything, and says so', () => {
    expect(planStreamRead({ ...incremental, cursor: undefined })).toEqual({ kind: 'full', reason: 'no_cursor' });
  });

  it('an incremental run of a stream the provider cannot filter reads everything and keeps the changes, and says so', () => {
    expect(planStreamRead({ ...incremental, serverFiltersModified: false })).toEqual({ kind: 'full', reason: 'provider_has_no_modified_filter' });
  });

  it('a full run reads everything because it asked to', () => {
    expect(planStreamRead({ ...incremental, mode: 'full' })).toEqual({ kind: 'full', reason: 'requested' });
  });

  it('a run restricted to ids reads those records, whatever the mode or cursor', () => {
    expect(planStreamRead({ ...incremental, restricted: true })).toEqual({ kind: 'ids' });
    expect(planStreamRead({ ...incremental, restricted: true, mode: 'full', cursor: undefined })).toEqual({ kind: 'ids' });
  });
});
