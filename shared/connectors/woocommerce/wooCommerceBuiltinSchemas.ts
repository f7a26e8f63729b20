import type { ConversionSchemaInput } from '../../core/conversion/schema.js';

/** WooCommerce's store-local `date_*` fields carry no zone; the `_gmt` twins are UTC. */
const wooDate = (from: string, to: string) => ({ from, to, transforms: [{ op: 'date' as const, formats: ['iso'], timeZone: 'UTC' }] });

/** Built-in conversion schemas for WooCommerce v3 streams: what the demo mapped, deepened. */
export const BUILTIN_SCHEMAS = {
  'woocommerce/customers': {
    shardType: 'customer',
    fields: [
      { from: 'id', to: 'externalId' },
      { from: 'email', to: 'email', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
      { from: 'first_name', to: 'firstName', transforms: [{ op: 'trim' }] },
      { from: 'last_name', to: 'lastName', transforms: [{ op: 'trim' }] },
      { from: 'billing.phone', to: 'phone', transforms: [{ op: 'trim' }] },
      { from: 'billing.company', to: 'company', transforms: [{ op: 'trim' }] },
      { from: 'billing.city', to: 'address.city' },
      { from: 'billing.postcode', to: 'address.postcode' },
      { from: 'billing.country', to: 'address.country', transforms: [{ op: 'case', mode: 'upper' }] },
      { from: 'is_paying_customer', to: 'isPayingCustomer', transforms: [{ op: 'boolean' }, { op: 'default', value: false }] },
      wooDate('date_modified_gmt', 'sourceModifiedAt'),
    ],
    validations: [
      { path: 'email', rule: 'required' },
      { path: 'email', rule: 'email' },
    ],
    derived: [
      {
        shardType: 'company_profile',
        when: { path: 'billing.company', exists: true },
        key: 'billing.company',
        fields: [
          { from: 'billing.company', to: 'name', transforms: [{ op: 'trim' }] },
          { from: 'billing.country', to: 'country', transforms: [{ op: 'case', mode: 'upper' }] },
          { from: 'billing.city', to: 'city' },
          { from: 'id', to: 'contactExternalId' },
        ],
      },
    ],
  },
  'woocommerce/products': {
    shardType: 'product',
    fields: [
      { from: 'id', to: 'externalId' },
      { from: 'name', to: 'name', transforms: [{ op: 'trim' }] },
      { from: 'sku', to: 'sku' },
      { from: 'price', to: 'price', transforms: [{ op: 'number' }] },
      { from: 'stock_status', to: 'stockStatus', transforms: [{ op: 'enum', values: { instock: 'in_stock', outofstock: 'out_of_stock', onbackorder: 'on_backorder' } }] },
      { from: 'stock_quantity', to: 'stockQuantity', transforms: [{ op: 'number' }] },
      { from: 'weight', to: 'weightKg', transforms: [{ op: 'number' }] },
      { from: 'categories[0].name', to: 'category' },
      wooDate('date_modified_gmt', 'sourceModifiedAt'),
    ],
    validations: [
      { path: 'name', rule: 'required' },
      { path: 'price', rule: 'range', min: 0 },
    ],
  },
  'woocommerce/orders': {
    shardType: 'order',
    fields: [
      { from: 'id', to: 'externalId' },
      { from: 'number', to: 'number' },
      { from: 'status', to: 'status' },
      { from: 'currency', to: 'currency', transforms: [{ op: 'case', mode: 'upper' }] },
      { from: 'total', to: 'total', transforms: [{ op: 'number' }] },
      { from: 'shipping_total', to: 'shippingTotal', transforms: [{ op: 'number' }] },
      { from: 'customer_id', to: 'customerExternalId', transforms: [{ op: 'lookup', map: { '0': null } }] },
      { from: 'billing.email', to: 'email', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
      { from: 'line_items[*].sku', to: 'skus' },
      // The lines an invoice or receipt is built from elsewhere (an outbound write schema). A pick, not an expression: inbound stays synchronous.
      {
        from: 'line_items',
        to: 'lines',
        transforms: [{ op: 'map', transforms: [{ op: 'pick', fields: { productExternalId: 'product_id', sku: 'sku', name: 'name', quantity: 'quantity', unitPrice: 'price', total: 'total' } }] }],
      },
      wooDate('date_created_gmt', 'placedAt'),
      wooDate('date_modified_gmt', 'sourceModifiedAt'),
    ],
    validations: [
      { path: 'number', rule: 'required' },
      { path: 'status', rule: 'enum', values: ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'trash', 'checkout-draft'] },
    ],
    relationships: [
      // A guest checkout has customer_id 0: no customer to link.
      { rel: 'customer', stream: 'customers', from: 'customer_id', none: [0] },
      { rel: 'product', stream: 'products', from: 'line_items[*].product_id', none: [0] },
    ],
  },
} as const satisfies Record<string, ConversionSchemaInput>;
