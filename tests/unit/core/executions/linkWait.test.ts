import { describe, expect, it } from 'vitest';
import { decideLinkWait } from '../../../../shared/core/executions/linkWait.js';
import { compileRelationships } from '../../../../shared/core/conversion/relationships.js';

const policy = { retries: 3, baseDelayMs: 1000 };

describe('waiting for parent records', () => {
  it('a batch with every parent present links at once', () => {
    expect(decideLinkWait(0, 0, policy, () => 0.5)).toEqual({ kind: 'link' });
  });

  it('missing parents make the batch wait with growing delays, at most `retries` times', () => {
    const delays = [0, 1, 2].map((waits) => (decideLinkWait(4, waits, policy, () => 0) as { delayMs: number }).delayMs);
    expect(delays).toEqual([500, 1000, 2000]);
    expect(decideLinkWait(4, 3, policy, () => 0)).toEqual({ kind: 'link' });
    expect(decideLinkWait(4, 0, policy, () => 0.999)).toMatchObject({ kind: 'wait', waits: 1 });
    expect((decideLinkWait(4, 0, policy, () => 0.999) as { delayMs: number }).delayMs).toBeLessThan(1000);
  });

  it('no retries configured: pending links at once', () => {
    expect(decideLinkWait(4, 0, { retries: 0, baseDelayMs: 1000 }, () => 0.5)).toEqual({ kind: 'link' });
  });
});

describe('relationship rules', () => {
  const parentsOf = compileRelationships([
    { rel: 'customer', stream: 'customers', from: 'customer_id', none: [0] },
    { rel: 'product', stream: 'products', from: 'line_items[*].product_id', none: [] },
  ]);

  it('reads a parent per rule and one per distinct array element', () => {
    expect(parentsOf({ customer_id: 12, line_items: [{ product_id: 5 }, { product_id: '6' }, { product_id: 5 }] })).toEqual([
      { rel: 'customer', stream: 'customers', externalId: '12' },
      { rel: 'product', stream: 'products', externalId: '5' },
      { rel: 'product', stream: 'products', externalId: '6' },
    ]);
  });

  it('a "no parent" value, a missing path, an empty string or an object links to nothing', () => {
    expect(parentsOf({ customer_id: 0, line_items: [{ product_id: '' }, { product_id: { id: 1 } }, {}] })).toEqual([]);
    expect(parentsOf({ customer_id: '0' })).toEqual([]);
    expect(parentsOf(null)).toEqual([]);
    expect(parentsOf('text')).toEqual([]);
  });
});
