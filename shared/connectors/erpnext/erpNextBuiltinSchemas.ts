import type { ConversionSchemaInput } from '../../core/conversion/schema.js';

const trimmed = (from: string, to: string) => ({ from, to, transforms: [{ op: 'trim' as const }] });
const amount = (from: string, to: string) => ({ from, to, transforms: [{ op: 'number' as const }] });
/** `modified` is the site's time without a zone (`2024-01-01 10:00:00.123456`), read as UTC like the engine's cursor reads it. */
const modified = { from: 'modified', to: 'sourceModifiedAt', transforms: [{ op: 'date' as const, formats: ['iso'], timeZone: 'UTC' }] };

/**
 * Built-in conversion schemas for ERPNext's selling DocTypes, into the shard types the other
 * providers fill: a Customer meets the same buyer from WooCommerce or QuickBooks in one `customer`
 * shard, an Item is a `product`, a Sales Invoice an `invoice` linked to its customer.
 */
export const ERPNEXT_BUILTIN_SCHEMAS = {
  'erpnext/customers': {
    shardType: 'customer',
    fields: [
      { from: 'name', to: 'externalId' },
      trimmed('customer_name', 'displayName'),
      { from: 'email_id', to: 'email', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
      trimmed('mobile_no', 'phone'),
      trimmed('customer_group', 'group'),
      trimmed('territory', 'territory'),
      modified,
    ],
    validations: [
      { path: 'displayName', rule: 'required' },
      { path: 'email', rule: 'email' },
    ],
  },
  'erpnext/items': {
    shardType: 'product',
    fields: [
      { from: 'name', to: 'externalId' },
      trimmed('item_name', 'name'),
      trimmed('item_code', 'sku'),
      trimmed('description', 'description'),
      amount('standard_rate', 'price'),
      modified,
    ],
    validations: [
      { path: 'name', rule: 'required' },
      { path: 'price', rule: 'range', min: 0 },
    ],
  },
  'erpnext/sales_invoices': {
    shardType: 'invoice',
    fields: [
      { from: 'name', to: 'externalId' },
      { from: 'name', to: 'number' },
      { from: 'posting_date', to: 'date' },
      { from: 'customer', to: 'customerExternalId' },
      { from: 'currency', to: 'currency' },
      amount('grand_total', 'total'),
      amount('outstanding_amount', 'balance'),
      modified,
    ],
    validations: [{ path: 'total', rule: 'range', min: 0 }],
    // Lists carry no child tables (Frappe leaves them out), so an invoice's items are not linked.
    relationships: [{ rel: 'customer', stream: 'customers', from: 'customer' }],
  },
} as const satisfies Record<string, ConversionSchemaInput>;
