import { describe, expect, it } from 'vitest';
import { compileWriteBack } from '../../../../../shared/core/conversion/produced/writeBackMapping.js';
import { conversionSchema } from '../../../../../shared/core/conversion/schema.js';

const schema = conversionSchema.parse({
  shardType: 'customer',
  fields: [
    { from: 'id', to: 'externalId' },
    { from: 'email', to: 'email', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
    { from: 'billing.phone', to: 'phone' },
    { from: 'billing.city', to: 'address.city' },
    { from: 'total', to: 'total', transforms: [{ op: 'number' }] },
    { fromAll: ['first_name', 'last_name'], to: 'fullName', transforms: [{ op: 'concat', separator: ' ' }] },
    { from: 'line_items[*].sku', to: 'skus' },
  ],
});
const change = (path: string, value: unknown) => ({ path, keys: path.split('.'), value });

describe('the way back from shard fields to the provider', () => {
  const writeBack = compileWriteBack(schema, ['id']);

  it('copied and tidied fields go back to the paths they were read from, nested as the provider has them', () => {
    expect(writeBack([change('email', 'ann@example.com'), change('phone', '+1 555'), change('address.city', 'Oslo')])).toEqual({
      fields: { email: 'ann@example.com', billing: { phone: '+1 555', city: 'Oslo' } },
      unmapped: [],
    });
  });

  it('parsed, combined and wildcard fields, and the provider’s own id, are not written', () => {
    expect(writeBack([change('total', 12), change('fullName', 'A B'), change('skus', ['x']), change('externalId', 9)])).toEqual({
      fields: {},
      unmapped: ['total', 'fullName', 'skus', 'externalId'],
    });
  });

  it('a removed field is written as null: a partial update would keep it otherwise', () => {
    expect(writeBack([change('phone', undefined)]).fields).toEqual({ billing: { phone: null } });
  });
});
