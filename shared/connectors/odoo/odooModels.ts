import { ProviderError } from '../providerError.js';

/**
 * The streams and the Odoo models behind them, with the fields a read asks for (`search_read`
 * without `fields` returns every field, binary images included). `archivable`: the model has an
 * `active` field, so archived records exist and are read as deletes.
 */
export interface OdooModel {
  stream: string;
  model: string;
  fields: readonly string[];
  archivable: boolean;
  dependsOn?: readonly string[];
}

export const ODOO_MODELS: readonly OdooModel[] = [
  {
    stream: 'partners',
    model: 'res.partner',
    fields: ['id', 'name', 'email', 'phone', 'is_company', 'company_name', 'parent_id', 'street', 'city', 'zip', 'country_id', 'vat', 'active', 'write_date'],
    archivable: true,
  },
  {
    stream: 'products',
    model: 'product.product',
    fields: ['id', 'name', 'default_code', 'barcode', 'list_price', 'standard_price', 'type', 'active', 'write_date'],
    archivable: true,
  },
  {
    stream: 'sale_orders',
    model: 'sale.order',
    fields: ['id', 'name', 'partner_id', 'date_order', 'state', 'amount_untaxed', 'amount_total', 'currency_id', 'order_line', 'write_date'],
    archivable: false,
    dependsOn: ['partners'],
  },
  {
    stream: 'stock_levels',
    model: 'stock.quant',
    fields: ['id', 'product_id', 'location_id', 'quantity', 'reserved_quantity', 'write_date'],
    archivable: false,
    dependsOn: ['products'],
  },
  {
    stream: 'payments',
    model: 'account.payment',
    fields: ['id', 'name', 'partner_id', 'amount', 'currency_id', 'date', 'payment_type', 'state', 'write_date'],
    archivable: false,
    dependsOn: ['partners'],
  },
];

export function odooModelOf(stream: string): OdooModel {
  const found = ODOO_MODELS.find((model) => model.stream === stream);
  if (!found) throw new ProviderError({ code: 'unknown_stream', retriable: false, message: `Odoo has no stream "${stream}"` });
  return found;
}
