import type { ConversionSchemaInput } from '../../core/conversion/schema.js';

/** Odoo answers an empty field with `false`, not null: read as absent before anything else. */
const unset = { op: 'lookup' as const, map: { false: null } };
const text = (from: string, to: string) => ({ from, to, transforms: [unset, { op: 'trim' as const }] });
/**
 * A field written back: a lookup would make it computed (read-only), so an empty one stays
 * `false`, which no matcher compares and no e-mail rule could accept.
 */
const writable = (from: string, to: string) => ({ from, to, transforms: [{ op: 'trim' as const }] });
const amount = (from: string, to: string) => ({ from, to, transforms: [unset, { op: 'number' as const }] });
/** `write_date` is naive UTC, `YYYY-MM-DD HH:MM:SS`. */
const written = { from: 'write_date', to: 'sourceModifiedAt', transforms: [{ op: 'date' as const, formats: ['YYYY-MM-DD HH:mm:ss', 'iso'], timeZone: 'UTC' }] };
/** A many2one field is `[id, "display name"]` (or `false`): its id, the other record's external id. */
const many2one = (from: string, to: string) => ({ from: `${from}.0`, to });

/**
 * Built-in conversion schemas for the Odoo streams, into the shard types the other providers
 * fill: a partner is a `customer` (a person, or a company with `isCompany`), a product a
 * `product`, a sale order an `order` linked to its customer, a payment a `payment`, a quant a
 * `stock_level` linked to its product.
 */
export const ODOO_BUILTIN_SCHEMAS = {
  'odoo/partners': {
    shardType: 'customer',
    fields: [
      { from: 'id', to: 'externalId' },
      writable('name', 'displayName'),
      { from: 'email', to: 'email', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
      writable('phone', 'phone'),
      text('company_name', 'company'),
      { from: 'is_company', to: 'isCompany' },
      text('city', 'city'),
      text('vat', 'vatNumber'),
      written,
    ],
    validations: [{ path: 'displayName', rule: 'required' }],
  },
  'odoo/products': {
    shardType: 'product',
    fields: [
      { from: 'id', to: 'externalId' },
      text('name', 'name'),
      text('default_code', 'sku'),
      text('barcode', 'barcode'),
      amount('list_price', 'price'),
      written,
    ],
    validations: [
      { path: 'name', rule: 'required' },
      { path: 'price', rule: 'range', min: 0 },
    ],
  },
  'odoo/sale_orders': {
    shardType: 'order',
    fields: [
      { from: 'id', to: 'externalId' },
      text('name', 'number'),
      { from: 'state', to: 'status' },
      many2one('partner_id', 'customerExternalId'),
      { from: 'currency_id.1', to: 'currency' },
      amount('amount_total', 'total'),
      { from: 'date_order', to: 'placedAt', transforms: [{ op: 'date', formats: ['YYYY-MM-DD HH:mm:ss', 'iso'], timeZone: 'UTC' }] },
      written,
    ],
    validations: [
      { path: 'number', rule: 'required' },
      { path: 'status', rule: 'enum', values: ['draft', 'sent', 'sale', 'done', 'cancel'] },
    ],
    relationships: [{ rel: 'customer', stream: 'partners', from: 'partner_id.0' }],
  },
  'odoo/stock_levels': {
    shardType: 'stock_level',
    fields: [
      { from: 'id', to: 'externalId' },
      many2one('product_id', 'productExternalId'),
      { from: 'location_id.1', to: 'location' },
      amount('quantity', 'quantity'),
      amount('reserved_quantity', 'reserved'),
      written,
    ],
    validations: [{ path: 'productExternalId', rule: 'required' }],
    relationships: [{ rel: 'product', stream: 'products', from: 'product_id.0' }],
  },
  'odoo/payments': {
    shardType: 'payment',
    fields: [
      { from: 'id', to: 'externalId' },
      text('name', 'number'),
      { from: 'date', to: 'date' },
      many2one('partner_id', 'customerExternalId'),
      { from: 'currency_id.1', to: 'currency' },
      amount('amount', 'total'),
      { from: 'payment_type', to: 'direction' },
      written,
    ],
    validations: [{ path: 'total', rule: 'range', min: 0 }],
    relationships: [{ rel: 'customer', stream: 'partners', from: 'partner_id.0' }],
  },
} as const satisfies Record<string, ConversionSchemaInput>;
