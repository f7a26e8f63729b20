import { describe, expect, it } from 'vitest';
import { decideRecordOutcome } from '../../../../shared/core/executions/recordOutcome.js';

describe('record outcome', () => {
  const existing = { hash: 'h1', createdByBatch: 'run1:customers:1', updatedByBatch: 'run1:customers:1' };

  it('a record seen for the first time is created', () => {
    expect(decideRecordOutcome(undefined, 'h1', 'run2:customers:1')).toBe('created');
  });

  it('a record whose content changed is updated', () => {
    expect(decideRecordOutcome(existing, 'h2', 'run2:customers:1')).toBe('updated');
  });

  it('a record with the same content in a later run is unchanged', () => {
    expect(decideRecordOutcome(existing, 'h1', 'run2:customers:1')).toBe('unchanged');
  });

  it('a redelivered batch counts the shards it created itself as created, not unchanged', () => {
    expect(decideRecordOutcome(existing, 'h1', 'run1:customers:1')).toBe('created');
  });

  it('a redelivered batch counts the shards it updated itself as updated', () => {
    const updated = { ...existing, updatedByBatch: 'run2:customers:3' };
    expect(decideRecordOutcome(updated, 'h1', 'run2:customers:3')).toBe('updated');
  });
});
