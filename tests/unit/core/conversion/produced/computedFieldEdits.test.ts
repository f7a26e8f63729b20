import { describe, expect, it } from 'vitest';
import { computedFieldEdits } from '../../../../../shared/core/conversion/produced/computedFieldEdits.js';

const computed = new Map([
  ['fullName', { path: 'fullName', inputs: ['first_name', 'last_name'], by: ['several inputs', 'template'] }],
  ['address.label', { path: 'address.label', inputs: ['billing.city', 'billing.country'], by: ['several inputs', 'concat'] }],
]);

describe('an edit of a computed field', () => {
  it('is named with its path and what it is computed from', () => {
    expect(computedFieldEdits(computed, { fullName: 'Ann Smith', firstName: 'Ann' }, 'data')).toEqual([
      {
        path: 'data.fullName',
        message: 'is computed by the conversion schema from first_name, last_name (several inputs, template): it cannot be edited or written back; edit its inputs instead',
      },
    ]);
  });

  it('counts when it sets the field, removes it, or replaces the object it lies in', () => {
    const paths = (patch: Record<string, unknown>) => computedFieldEdits(computed, patch, 'value').map((issue) => issue.path);
    expect(paths({ address: { label: 'Oslo / NO' } })).toEqual(['value.address.label']);
    expect(paths({ fullName: null })).toEqual(['value.fullName']);
    expect(paths({ address: null })).toEqual(['value.address.label']);
    expect(paths({ address: 'Oslo' })).toEqual(['value.address.label']);
  });

  it('an expression field says it may read more of the record than its own input', () => {
    const expression = new Map([['total', { path: 'total', inputs: ['items'], by: ['expression'] }]]);
    expect(computedFieldEdits(expression, { total: 3 }, 'data')[0]!.message).toContain('from items and whatever else of the record its expression reads (expression)');
  });

  it('an edit of its inputs, or of fields beside it, is no edit of it', () => {
    expect(computedFieldEdits(computed, { firstName: 'Ann', address: { city: 'Oslo' } }, 'data')).toEqual([]);
    expect(computedFieldEdits(new Map(), { fullName: 'x' }, 'data')).toEqual([]);
  });
});
