import { describe, expect, it } from 'vitest';
import { decideTimestampMismatch, lastWriteWins, timestampMismatchRules } from '../../../shared/connectors/erpnext/erpNextConflictDecision.js';
import { refusedUpdateResolution } from '../../../shared/core/conflicts/refusedUpdateResolution.js';
import { conflictResolution } from '../../../shared/core/conflicts/resolutionStrategy.js';

const ours = '2026-03-01T12:00:00.000Z';

describe('ERPNext stale update decision', () => {
  it('last write wins: the later side; equal or unreadable times go to a person', () => {
    expect(lastWriteWins({ modifiedMs: 2 }, { modifiedMs: 1 })).toBe('ours');
    expect(lastWriteWins({ modifiedMs: 1 }, { modifiedMs: 2 })).toBe('theirs');
    expect(lastWriteWins({ modifiedMs: 1 }, { modifiedMs: 1 })).toBe('conflict');
    expect(lastWriteWins({ modifiedMs: undefined }, { modifiedMs: 1 })).toBe('conflict');
  });

  it('compares the shard change with Frappe modified to the microsecond form, read as UTC', () => {
    expect(decideTimestampMismatch('Customer', ours, '2026-03-01 11:59:59.999999', {})).toBe('ours');
    expect(decideTimestampMismatch('Customer', ours, '2026-03-01 12:00:00.001000', {})).toBe('theirs');
    expect(decideTimestampMismatch('Customer', ours, '2026-03-01 12:00:00.000000', {})).toBe('conflict');
    expect(decideTimestampMismatch('Customer', ours, undefined, {})).toBe('conflict');
    expect(decideTimestampMismatch('Customer', 'yesterday', '2026-03-01 12:00:00.000000', {})).toBe('conflict');
  });

  it('a connection rule for the DocType decides first, then a code hook, then last write wins', () => {
    const rules = timestampMismatchRules.parse({ Item: 'theirs', Customer: 'last_write_wins' });
    const hooks = { Item: () => 'ours' as const, Customer: () => 'conflict' as const, 'Sales Invoice': (a: { modifiedMs: number | undefined }, b: { modifiedMs: number | undefined }) => ((a.modifiedMs ?? 0) > (b.modifiedMs ?? 0) ? ('conflict' as const) : ('theirs' as const)) };
    expect(decideTimestampMismatch('Item', ours, '2026-01-01 00:00:00.000000', rules, hooks)).toBe('theirs');
    // An explicit `last_write_wins` rule is the connection's word: no hook overrides it.
    expect(decideTimestampMismatch('Customer', ours, '2026-01-01 00:00:00.000000', rules, hooks)).toBe('ours');
    expect(decideTimestampMismatch('Sales Invoice', ours, '2026-01-01 00:00:00.000000', rules, hooks)).toBe('conflict');
    expect(decideTimestampMismatch('Supplier', ours, '2026-01-01 00:00:00.000000', rules, hooks)).toBe('ours');
  });

  it('refuses rules that are not DocType names or decisions', () => {
    expect(timestampMismatchRules.safeParse({ Item: 'sometimes' }).success).toBe(false);
    expect(timestampMismatchRules.safeParse({ '../x': 'ours' }).success).toBe(false);
    expect(timestampMismatchRules.parse(undefined)).toEqual({});
  });
});

describe('a refused update settled by the provider decision', () => {
  const task = conflictResolution.parse({ strategy: 'merge', fallback: 'manual', fields: { email: 'source_wins' } });

  it('keeps the task resolution without a decision', () => {
    expect(refusedUpdateResolution(task, undefined)).toBe(task);
  });

  it('ours → target_wins, theirs → source_wins, conflict → manual, for every field', () => {
    expect(refusedUpdateResolution(task, 'ours')).toMatchObject({ strategy: 'target_wins', fields: {} });
    expect(refusedUpdateResolution(task, 'theirs')).toMatchObject({ strategy: 'source_wins', fields: {} });
    expect(refusedUpdateResolution(task, 'conflict')).toMatchObject({ strategy: 'manual', fields: {}, safeSide: task.safeSide });
  });
});
