import { describe, expect, it } from 'vitest';
import { compileSchema } from '../../../../shared/core/conversion/compileSchema.js';
import { runWriteMapping } from '../../../../shared/core/outbound/writeMapping.js';

/** An order (references already substituted) as a QuickBooks-style invoice: lines built by an expression, the customer by reference. */
const invoiceSchema = compileSchema({
  shardType: 'order',
  fields: [
    { from: 'number', to: 'DocNumber' },
    { from: 'customerExternalId', to: 'CustomerRef.value' },
    {
      from: 'lines',
      to: 'Line',
      transforms: [
        {
          op: 'expression',
          expression:
            "[$value.{'DetailType': 'SalesItemLineDetail', 'Amount': total, 'SalesItemLineDetail': {'ItemRef': {'value': productExternalId}, 'Qty': quantity, 'UnitPrice': unitPrice}}]",
        },
      ],
    },
    { from: 'externalId', to: 'id' },
  ],
  validations: [{ path: 'CustomerRef.value', rule: 'required' }],
});

describe('outbound write mapping', () => {
  it('builds the provider record forward from the shard, with a list of lines, and leaves out the fields the provider keeps', async () => {
    const mapped = await runWriteMapping(
      invoiceSchema,
      { number: '1001', externalId: '55', customerExternalId: 'C-1', lines: [{ productExternalId: 'I-30', quantity: 2, unitPrice: 4.5, total: 9 }] },
      ['id'],
    );
    expect(mapped).toEqual({
      ok: true,
      fields: {
        DocNumber: '1001',
        CustomerRef: { value: 'C-1' },
        Line: [{ DetailType: 'SalesItemLineDetail', Amount: 9, SalesItemLineDetail: { ItemRef: { value: 'I-30' }, Qty: 2, UnitPrice: 4.5 } }],
      },
    });
  });

  it('refuses a shard the write schema does not accept, naming the field', async () => {
    const mapped = await runWriteMapping(invoiceSchema, { number: '1002', lines: [] });
    expect(mapped.ok).toBe(false);
    if (mapped.ok) return;
    expect(mapped.problems).toHaveLength(1);
    expect(mapped.problems[0]).toMatch(/^CustomerRef\.value: /);
  });
});
