import type { ConversionSchemaInput } from '../../core/conversion/schema.js';

const trimmed = (from: string, to: string) => ({ from, to, transforms: [{ op: 'trim' as const }] });
/** QuickBooks writes times in the company's zone with its offset (`2026-01-10T12:34:56-08:00`). */
const lastUpdated = { from: 'MetaData.LastUpdatedTime', to: 'sourceModifiedAt', transforms: [{ op: 'date' as const, formats: ['iso'], timeZone: 'UTC' }] };
const amount = (from: string, to: string) => ({ from, to, transforms: [{ op: 'number' as const }] });

/** A sales transaction (invoice, sales receipt): its customer and the items its lines sell, linked as relationships. */
const transaction = (shardType: string) => ({
  shardType,
  fields: [
    { from: 'Id', to: 'externalId' },
    { from: 'DocNumber', to: 'number' },
    { from: 'TxnDate', to: 'date' },
    { from: 'CustomerRef.value', to: 'customerExternalId' },
    { from: 'CurrencyRef.value', to: 'currency' },
    amount('TotalAmt', 'total'),
    amount('Balance', 'balance'),
    lastUpdated,
  ],
  validations: [{ path: 'total', rule: 'range' as const, min: 0 }],
  relationships: [
    { rel: 'customer', stream: 'customers', from: 'CustomerRef.value' },
    { rel: 'product', stream: 'items', from: 'Line[*].SalesItemLineDetail.ItemRef.value' },
  ],
});

/**
 * Built-in conversion schemas for QuickBooks Online entities, into the shard types the other
 * providers fill: a QuickBooks customer meets the same person from WooCommerce or HubSpot in one
 * `customer` shard (e-mail, name, phone), an item is a `product`.
 */
export const QUICKBOOKS_BUILTIN_SCHEMAS = {
  'quickbooks/customers': {
    shardType: 'customer',
    fields: [
      { from: 'Id', to: 'externalId' },
      { from: 'PrimaryEmailAddr.Address', to: 'email', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
      trimmed('GivenName', 'firstName'),
      trimmed('FamilyName', 'lastName'),
      trimmed('DisplayName', 'displayName'),
      trimmed('CompanyName', 'company'),
      trimmed('PrimaryPhone.FreeFormNumber', 'phone'),
      trimmed('BillAddr.City', 'city'),
      lastUpdated,
    ],
    validations: [
      { path: 'displayName', rule: 'required' },
      { path: 'email', rule: 'email' },
    ],
  },
  'quickbooks/items': {
    shardType: 'product',
    fields: [
      { from: 'Id', to: 'externalId' },
      trimmed('Name', 'name'),
      trimmed('Sku', 'sku'),
      trimmed('Description', 'description'),
      amount('UnitPrice', 'price'),
      lastUpdated,
    ],
    validations: [
      { path: 'name', rule: 'required' },
      { path: 'price', rule: 'range', min: 0 },
    ],
  },
  'quickbooks/invoices': transaction('invoice'),
  'quickbooks/sales_receipts': transaction('sales_receipt'),
  'quickbooks/payments': {
    shardType: 'payment',
    fields: [
      { from: 'Id', to: 'externalId' },
      { from: 'TxnDate', to: 'date' },
      { from: 'CustomerRef.value', to: 'customerExternalId' },
      amount('TotalAmt', 'total'),
      lastUpdated,
    ],
    validations: [{ path: 'total', rule: 'range', min: 0 }],
    relationships: [{ rel: 'customer', stream: 'customers', from: 'CustomerRef.value' }],
  },
} as const satisfies Record<string, ConversionSchemaInput>;
