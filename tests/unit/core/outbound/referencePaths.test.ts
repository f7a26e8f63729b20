import { describe, expect, it } from 'vitest';
import { linkOf, referencedRecords, substituteReferences } from '../../../../shared/core/outbound/referencePaths.js';
import type { OutboundReference } from '../../../../shared/core/schemas/syncTask.js';

const references: OutboundReference[] = [
  { rel: 'customer', path: 'customerExternalId', stream: 'customers' },
  { rel: 'product', path: 'lines[*].productExternalId', stream: 'items' },
];
const order = {
  number: '1001',
  customerExternalId: '7',
  lines: [
    { productExternalId: '3', quantity: 2 },
    { productExternalId: 4, quantity: 1 },
    { productExternalId: '3', quantity: 5 },
    { productExternalId: null, quantity: 1 },
  ],
};

describe('outbound reference paths', () => {
  it('list each record an order names once, through plain and [*] paths, numbers read as ids', () => {
    const named = referencedRecords(order, references);
    expect(named.map((r) => [r.reference.rel, r.sourceId])).toEqual([
      ['customer', '7'],
      ['product', '3'],
      ['product', '4'],
    ]);
  });

  it('replace every mention with the id at the target, leave empty values and the original alone', () => {
    const targetIds: Record<string, string> = { 'customer:7': 'C-1', 'product:3': 'I-30', 'product:4': 'I-40' };
    const substituted = substituteReferences(order, references, ({ reference, sourceId }) => targetIds[`${reference.rel}:${sourceId}`]!);
    expect(substituted).toEqual({
      number: '1001',
      customerExternalId: 'C-1',
      lines: [
        { productExternalId: 'I-30', quantity: 2 },
        { productExternalId: 'I-40', quantity: 1 },
        { productExternalId: 'I-30', quantity: 5 },
        { productExternalId: null, quantity: 1 },
      ],
    });
    expect(order.customerExternalId).toBe('7');
    expect(order.lines[0]!.productExternalId).toBe('3');
  });

  it('treat a reference\'s "none" values (a deleted product\'s 0) as naming no record, and write them as null', () => {
    const withNone: OutboundReference[] = [{ rel: 'product', path: 'lines[*].productExternalId', stream: 'items', none: [0] }];
    const data = { lines: [{ productExternalId: 0 }, { productExternalId: '0' }, { productExternalId: 5 }] };
    expect(referencedRecords(data, withNone).map((r) => r.sourceId)).toEqual(['5']);
    expect(substituteReferences(data, withNone, () => 'I-50')).toEqual({ lines: [{ productExternalId: null }, { productExternalId: null }, { productExternalId: 'I-50' }] });
  });

  it('name nothing where the path is missing or not a list', () => {
    expect(referencedRecords({ number: '1', lines: 'none' }, references)).toEqual([]);
    expect(substituteReferences({ number: '1', lines: 'none' }, references, () => 'X')).toEqual({ number: '1', lines: 'none' });
  });

  it('find the link of a named record by rel and id', () => {
    const links = [
      { rel: 'customer', shardId: 'shd_c7', stream: 'customers', externalId: '7' },
      { rel: 'product', shardId: 'shd_p7', stream: 'products', externalId: '7' },
    ];
    expect(linkOf(links, 'product', '7')?.shardId).toBe('shd_p7');
    expect(linkOf(links, 'customer', '8')).toBeUndefined();
  });
});
