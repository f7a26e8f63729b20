import type { Row } from './fakeOdooDomain.js';

/** The models the fake serves, each a row template: its fields are the model's. */
export const FAKE_ODOO_MODELS = ['res.partner', 'product.product', 'sale.order', 'stock.quant', 'account.payment'] as const;
export type FakeOdooModel = (typeof FAKE_ODOO_MODELS)[number];

/** Models with an `active` field: archived rows are hidden unless `active_test` is false. */
export const ARCHIVABLE: ReadonlySet<string> = new Set(['res.partner', 'product.product']);

/** Fixed rows other models point at (never listed). */
export const CURRENCIES: Record<number, string> = { 1: 'USD', 125: 'EUR' };
export const LOCATIONS: Record<number, string> = { 8: 'WH/Stock', 12: 'WH/Output' };

const CITIES = ['Brussels', 'Ghent', 'Antwerp', 'Liège', 'Namur', 'Bruges'];
const STATES = ['draft', 'sent', 'sale', 'sale', 'done', 'cancel'];
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Naive UTC to the second, as Odoo keeps datetimes. */
export const odooNow = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** The fields every model has beyond its own. */
const common = (id: number, writtenMs: number) => ({ id, create_date: odooNow(writtenMs), write_date: odooNow(writtenMs), display_name: '' });

/**
 * Pure: the `index`th seeded row of `model` (1-based), deterministic given `writtenMs`. References
 * (`partner_id`, `product_id`) point at the `index`th row of the other model, or are `false`.
 */
export function seedRow(model: FakeOdooModel, id: number, index: number, writtenMs: number, partnerName: (id: number) => string | undefined, productName: (id: number) => string | undefined): Row {
  const partner = partnerName(index) === undefined ? false : [index, partnerName(index)];
  const product = productName(index) === undefined ? false : [index, productName(index)];
  switch (model) {
    case 'res.partner': {
      const company = index % 5 === 0;
      const name = company ? `Company ${index} SA` : `Partner ${index}`;
      return {
        ...common(id, writtenMs),
        display_name: name,
        name,
        email: `partner${index}@example.com`,
        phone: `+32 470 ${pad(index, 6)}`,
        is_company: company,
        company_name: company ? name : false,
        parent_id: false,
        street: `${index} Rue de la Loi`,
        city: CITIES[index % CITIES.length]!,
        zip: pad(1000 + (index % 9000), 4),
        country_id: [20, 'Belgium'],
        vat: company ? `BE0${pad(index, 9)}` : false,
        active: true,
      };
    }
    case 'product.product': {
      const name = `Product ${index}`;
      return {
        ...common(id, writtenMs),
        display_name: `[SKU-${pad(index, 6)}] ${name}`,
        name,
        default_code: `SKU-${pad(index, 6)}`,
        barcode: index % 3 === 0 ? false : `54${pad(index, 11)}`,
        list_price: (index % 97) + 0.5,
        standard_price: (index % 97) / 2,
        type: 'consu',
        active: true,
      };
    }
    case 'sale.order':
      return {
        ...common(id, writtenMs),
        display_name: `S${pad(index, 5)}`,
        name: `S${pad(index, 5)}`,
        partner_id: partner,
        date_order: odooNow(writtenMs - 3_600_000),
        state: STATES[index % STATES.length]!,
        amount_untaxed: (index % 50) * 10,
        amount_total: (index % 50) * 12.1,
        currency_id: [1, CURRENCIES[1]],
        order_line: [],
      };
    case 'stock.quant':
      return {
        ...common(id, writtenMs),
        display_name: `WH/Stock - ${productName(index) ?? 'Product'}`,
        product_id: product,
        location_id: [8, LOCATIONS[8]],
        quantity: index % 40,
        reserved_quantity: index % 7,
      };
    case 'account.payment':
      return {
        ...common(id, writtenMs),
        display_name: `PBNK1/2026/${pad(index, 5)}`,
        name: `PBNK1/2026/${pad(index, 5)}`,
        partner_id: partner,
        amount: (index % 80) * 5 + 5,
        currency_id: [1, CURRENCIES[1]],
        date: odooNow(writtenMs).slice(0, 10),
        payment_type: index % 4 === 0 ? 'outbound' : 'inbound',
        state: 'paid',
      };
  }
}

/** Seeded write times: scattered over the day before `nowMs`, the same for the same index. */
export const seededWrittenMs = (nowMs: number, index: number) => Math.floor(nowMs / 1000) * 1000 - 86_400_000 + ((index * 7919) % 86_000) * 1000;
