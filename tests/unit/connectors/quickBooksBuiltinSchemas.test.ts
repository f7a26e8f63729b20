import { describe, expect, it } from 'vitest';
import { QUICKBOOKS_BUILTIN_SCHEMAS } from '../../../shared/connectors/quickbooks/quickBooksBuiltinSchemas.js';
import { compileSchema } from '../../../shared/core/conversion/compileSchema.js';
import { compileRelationships } from '../../../shared/core/conversion/relationships.js';
import { validateSchema } from '../../../shared/core/conversion/validateSchema.js';

/** Records as QuickBooks (and dev/fakes/quickbooks) answers them. */
const customer = {
  Id: '58',
  SyncToken: '3',
  GivenName: 'Amy',
  FamilyName: 'Lew',
  DisplayName: "Amy's Bird Sanctuary",
  PrimaryEmailAddr: { Address: ' Birds@Intuit.com ' },
  PrimaryPhone: { FreeFormNumber: '(650) 555-3311' },
  BillAddr: { City: 'Bayshore' },
  MetaData: { CreateTime: '2026-01-02T09:00:00-08:00', LastUpdatedTime: '2026-01-02T10:04:05-08:00' },
};
const invoice = {
  Id: '130',
  SyncToken: '0',
  DocNumber: '1037',
  TxnDate: '2026-01-02',
  CustomerRef: { value: '58', name: "Amy's Bird Sanctuary" },
  Line: [
    { Id: '1', Amount: 275, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '5', name: 'Rock Fountain' }, Qty: 1 } },
    { Id: '2', Amount: 12.75, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '11', name: 'Pump' }, Qty: 3 } },
    { Amount: 287.75, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
  ],
  TotalAmt: 287.75,
  Balance: 287.75,
  CurrencyRef: { value: 'USD' },
  MetaData: { CreateTime: '2026-01-02T09:00:00-08:00', LastUpdatedTime: '2026-01-02T10:04:05-08:00' },
};

describe('built-in QuickBooks schemas', () => {
  it('are valid', () => {
    const schemas = Object.values(QUICKBOOKS_BUILTIN_SCHEMAS);
    expect(schemas.length).toBe(5);
    for (const schema of schemas) expect(validateSchema(schema)).toMatchObject({ ok: true });
  });

  it('make a customer shard with the e-mail lower-cased and the company-zoned time in UTC', () => {
    const result = compileSchema(QUICKBOOKS_BUILTIN_SCHEMAS['quickbooks/customers']);
    if (result.async) throw new Error('built-in schemas are synchronous');
    const converted = result.run(customer);
    expect(converted.ok).toBe(true);
    if (!converted.ok) return;
    expect(converted.primary.data).toMatchObject({ externalId: '58', email: 'birds@intuit.com', firstName: 'Amy', lastName: 'Lew', city: 'Bayshore', sourceModifiedAt: '2026-01-02T18:04:05.000Z' });
  });

  it('link an invoice to its customer and to every item its lines sell', () => {
    const result = compileSchema(QUICKBOOKS_BUILTIN_SCHEMAS['quickbooks/invoices']);
    if (result.async) throw new Error('built-in schemas are synchronous');
    const converted = result.run(invoice);
    expect(converted.ok).toBe(true);
    if (!converted.ok) return;
    expect(converted.primary.data).toMatchObject({ externalId: '130', number: '1037', customerExternalId: '58', total: 287.75 });
    expect(compileRelationships(QUICKBOOKS_BUILTIN_SCHEMAS['quickbooks/invoices'].relationships.map((rule) => ({ ...rule, none: [] })))(invoice)).toEqual([
      { rel: 'customer', stream: 'customers', externalId: '58' },
      { rel: 'product', stream: 'items', externalId: '5' },
      { rel: 'product', stream: 'items', externalId: '11' },
    ]);
  });
});
