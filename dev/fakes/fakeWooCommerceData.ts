import { isoUtc } from '../../shared/core/conversion/transforms/dateFormats.js';
/**
 * Deterministic WooCommerce v3 records, generated on demand from (seed, stream, id) so a store of
 * 100,000 records costs nothing until a page asks for them. Shapes follow
 * https://woocommerce.github.io/woocommerce-rest-api-docs/ (customer, product and order properties).
 */
export const fakeStreams = ['customers', 'products', 'orders'] as const;
export type FakeStream = (typeof fakeStreams)[number];
export type FakeRecord = Record<string, unknown>;

export interface DataContext {
  seed: number;
  counts: Readonly<Record<FakeStream, number>>;
  storeUrl: string;
  /** Store time zone as a fixed offset: `date_*` fields are local, `date_*_gmt` are UTC. */
  timezoneOffsetMinutes: number;
}

/** Small, fast PRNG (mulberry32): enough for fake data, not for anything secret. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** murmur3-style mixing, so neighbouring ids get unrelated PRNG streams. */
function mix(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    hash = Math.imul(hash ^ part, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return hash >>> 0;
}

const streamSalt: Record<FakeStream, number> = { customers: 11, products: 23, orders: 37 };
const epochMs = Date.UTC(2023, 0, 1);
const dayMs = 86_400_000;

/** Creation follows ids (one a minute); the last change falls within 30 days of creation. */
export function baseTimes(seed: number, stream: FakeStream, id: number): { createdMs: number; modifiedMs: number } {
  const random = mulberry32(mix(seed, streamSalt[stream], id, 1));
  const createdMs = epochMs + (id - 1) * 60_000 + Math.floor(random() * 60) * 1000;
  return { createdMs, modifiedMs: createdMs + Math.floor(random() * 30 * 86_400) * 1000 };
}

/**
 * WordPress REST dates: ISO 8601 to the second, without a zone suffix. Uses the engine's fast UTC
 * formatter: Date#toISOString dominated page generation.
 */
export function formatWpDate(ms: number): string {
  return isoUtc(Math.floor(ms / 1000) * 1000).slice(0, 19);
}


/** Store-local rendering of an instant (the `date_*` fields without `_gmt`). */
export function localDate(ms: number, context: DataContext): string {
  return formatWpDate(ms + context.timezoneOffsetMinutes * 60_000);
}

export function generateRecord(context: DataContext, stream: FakeStream, id: number): FakeRecord {
  switch (stream) {
    case 'customers':
      return customer(context, id);
    case 'products':
      return product(context, id);
    case 'orders':
      return order(context, id);
  }
}

const firstNames = ['Ava', 'Liam', 'Noah', 'Emma', 'Mia', 'Lucas', 'Sofia', 'Elias', 'Chloé', 'Jonas', 'Aisha', 'Mateo', 'Yuki', 'Olga', 'Ben', 'Zoë'];
const lastNames = ['Smith', 'Müller', 'Garcia', 'Nguyen', 'Dubois', 'Rossi', 'Kowalski', 'Jansen', "O'Brien", 'Tanaka', 'Silva', 'Novak'];
const companies = ['Acme Ltd', 'Globex', 'Initech', 'Umbrella GmbH', 'Hooli'];
const streets = ['Main St', 'High Street', 'Hauptstraße', 'Rue de Rivoli', 'Keizersgracht', 'King St W'];
const places = [
  { country: 'US', state: 'CA', city: 'San Francisco', postcode: '94103', phone: '+1 415' },
  { country: 'US', state: 'NY', city: 'New York', postcode: '10001', phone: '+1 212' },
  { country: 'GB', state: '', city: 'London', postcode: 'SW1A 1AA', phone: '+44 20' },
  { country: 'DE', state: 'DE-BE', city: 'Berlin', postcode: '10115', phone: '+49 30' },
  { country: 'FR', state: '', city: 'Paris', postcode: '75001', phone: '+33 1' },
  { country: 'NL', state: '', city: 'Amsterdam', postcode: '1012 JS', phone: '+31 20' },
  { country: 'CA', state: 'ON', city: 'Toronto', postcode: 'M5H 2N2', phone: '+1 416' },
];
const adjectives = ['Classic', 'Organic', 'Vintage', 'Compact', 'Deluxe', 'Everyday', 'Rugged', 'Slim'];
const materials = ['Cotton', 'Leather', 'Bamboo', 'Steel', 'Wool', 'Ceramic', 'Linen'];
const nouns = ['T-Shirt', 'Backpack', 'Mug', 'Hoodie', 'Wallet', 'Water Bottle', 'Notebook', 'Scarf', 'Lamp'];
const categories = [
  { id: 15, name: 'Uncategorized', slug: 'uncategorized' },
  { id: 16, name: 'Clothing', slug: 'clothing' },
  { id: 17, name: 'Accessories', slug: 'accessories' },
  { id: 18, name: 'Home', slug: 'home' },
  { id: 19, name: 'Outdoor', slug: 'outdoor' },
];
const orderStatuses = ['completed', 'completed', 'completed', 'processing', 'processing', 'on-hold', 'pending', 'cancelled', 'refunded', 'failed'];
const paymentMethods = [
  { id: 'stripe', title: 'Credit Card (Stripe)' },
  { id: 'ppcp-gateway', title: 'PayPal' },
  { id: 'bacs', title: 'Direct bank transfer' },
  { id: 'cod', title: 'Cash on delivery' },
];

type Random = () => number;
const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const integer = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const money = (value: number) => value.toFixed(2);
const slugs = new Map<string, string>();
/** sanitize_title-like; memoized because names come from small word lists. */
function slugify(text: string): string {
  let slug = slugs.get(text);
  if (slug === undefined) {
    slug = text.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().toLowerCase().replace(/[\s_]+/g, '-');
    slugs.set(text, slug);
  }
  return slug;
}
const hex32 = (random: Random) =>
  [0, 0, 0, 0].map(() => Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0')).join('');
const alphanumeric = (random: Random, length: number) =>
  Array.from({ length }, () => Math.floor(random() * 36).toString(36)).join('');
const fieldRandom = (context: DataContext, stream: FakeStream, id: number) => mulberry32(mix(context.seed, streamSalt[stream], id, 2));

function links(context: DataContext, stream: FakeStream, id: number): FakeRecord {
  const collection = `${context.storeUrl}/wp-json/wc/v3/${stream}`;
  return { self: [{ href: `${collection}/${id}` }], collection: [{ href: collection }] };
}

function address(random: Random, firstName: string, lastName: string) {
  const place = pick(random, places);
  return {
    first_name: firstName,
    last_name: lastName,
    company: random() < 0.2 ? pick(random, companies) : '',
    address_1: `${integer(random, 1, 999)} ${pick(random, streets)}`,
    address_2: random() < 0.1 ? `Apt ${integer(random, 1, 40)}` : '',
    city: place.city,
    state: place.state,
    postcode: place.postcode,
    country: place.country,
    phone: `${place.phone} ${integer(random, 100, 999)} ${integer(random, 1000, 9999)}`,
  };
}

/** What orders copy from their customer; the first draws of the customer's PRNG stream. */
function customerBasics(context: DataContext, id: number) {
  const random = fieldRandom(context, 'customers', id);
  const firstName = pick(random, firstNames);
  const lastName = pick(random, lastNames);
  const handle = slugify(`${firstName}.${lastName}`).replace(/-/g, '.');
  const email = `${handle}.${id}@example.com`;
  return { random, firstName, lastName, handle, email, billing: { ...address(random, firstName, lastName), email } };
}

function customer(context: DataContext, id: number): FakeRecord {
  const { random, firstName, lastName, handle, email, billing } = customerBasics(context, id);
  const { createdMs, modifiedMs } = baseTimes(context.seed, 'customers', id);
  const { email: _billingEmail, ...home } = billing;
  return {
    id,
    date_created: localDate(createdMs, context),
    date_created_gmt: formatWpDate(createdMs),
    date_modified: localDate(modifiedMs, context),
    date_modified_gmt: formatWpDate(modifiedMs),
    email,
    first_name: firstName,
    last_name: lastName,
    role: 'customer',
    username: `${handle}${id}`,
    billing,
    shipping: random() < 0.8 ? { ...home, phone: '' } : { ...address(random, firstName, lastName), phone: '' },
    is_paying_customer: random() < 0.6,
    avatar_url: 'https://secure.gravatar.com/avatar/?s=96&d=mm&r=g',
    meta_data: [],
    _links: links(context, 'customers', id),
  };
}

/** What order line items copy from their product; the first draws of the product's PRNG stream. */
function productBasics(context: DataContext, id: number) {
  const random = fieldRandom(context, 'products', id);
  const name = `${pick(random, adjectives)} ${pick(random, materials)} ${pick(random, nouns)}`;
  const regular = integer(random, 5, 300) + pick(random, [0, 0.5, 0.99]);
  const onSale = random() < 0.2;
  const price = onSale ? Math.round(regular * 80) / 100 : regular;
  return { random, name, regular, onSale, price, sku: `SKU-${String(id).padStart(6, '0')}` };
}

function product(context: DataContext, id: number): FakeRecord {
  const { random, name, regular, onSale, price, sku } = productBasics(context, id);
  const { createdMs, modifiedMs } = baseTimes(context.seed, 'products', id);
  const slug = `${slugify(name)}-${id}`;
  const managesStock = random() < 0.7;
  const stock = managesStock ? integer(random, 0, 500) : null;
  const category = pick(random, categories);
  return {
    id,
    name,
    slug,
    permalink: `${context.storeUrl}/product/${slug}/`,
    date_created: localDate(createdMs, context),
    date_created_gmt: formatWpDate(createdMs),
    date_modified: localDate(modifiedMs, context),
    date_modified_gmt: formatWpDate(modifiedMs),
    type: 'simple',
    status: 'publish',
    featured: random() < 0.05,
    catalog_visibility: 'visible',
    description: `<p>${name}, made to last.</p>`,
    short_description: `<p>${name}</p>`,
    sku,
    price: money(price),
    regular_price: money(regular),
    sale_price: onSale ? money(price) : '',
    on_sale: onSale,
    purchasable: true,
    total_sales: integer(random, 0, 2000),
    virtual: false,
    downloadable: false,
    tax_status: 'taxable',
    tax_class: '',
    manage_stock: managesStock,
    stock_quantity: stock,
    stock_status: stock === 0 ? 'outofstock' : 'instock',
    weight: (random() * 3).toFixed(2),
    dimensions: { length: String(integer(random, 5, 60)), width: String(integer(random, 5, 40)), height: String(integer(random, 1, 30)) },
    categories: [category],
    tags: [],
    images: [],
    attributes: [],
    meta_data: [],
    _links: links(context, 'products', id),
  };
}

function order(context: DataContext, id: number): FakeRecord {
  const random = fieldRandom(context, 'orders', id);
  const { createdMs, modifiedMs } = baseTimes(context.seed, 'orders', id);
  // About one order in ten is a guest checkout (customer_id 0), as in real stores.
  const customerId = context.counts.customers > 0 && random() >= 0.1 ? integer(random, 1, context.counts.customers) : 0;
  const billing = customerId > 0
    ? customerBasics(context, customerId).billing
    : { ...address(random, pick(random, firstNames), pick(random, lastNames)), email: `guest.${id}@example.org` };
  const lineItems = Array.from({ length: context.counts.products > 0 ? integer(random, 1, 4) : 0 }, (_, index) => {
    const productId = integer(random, 1, context.counts.products);
    const item = productBasics(context, productId);
    const quantity = integer(random, 1, 3);
    const unitPrice = Number(money(item.price));
    return {
      id: id * 10 + index,
      name: item.name,
      product_id: productId,
      variation_id: 0,
      quantity,
      tax_class: '',
      subtotal: money(unitPrice * quantity),
      subtotal_tax: '0.00',
      total: money(unitPrice * quantity),
      total_tax: '0.00',
      taxes: [],
      meta_data: [],
      sku: item.sku,
      price: unitPrice,
    };
  });
  const shippingTotal = lineItems.length > 0 && random() < 0.7 ? 5.99 : 0;
  const itemsTotal = lineItems.reduce((sum, item) => sum + Number(item.total), 0);
  const status = pick(random, orderStatuses);
  const paid = ['completed', 'processing', 'refunded'].includes(status);
  const payment = pick(random, paymentMethods);
  const paidMs = paid ? Math.min(modifiedMs, createdMs + 60_000) : undefined;
  const completedMs = status === 'completed' ? Math.min(modifiedMs, createdMs + 3 * dayMs) : undefined;
  return {
    id,
    parent_id: 0,
    number: String(id),
    order_key: `wc_order_${alphanumeric(random, 13)}`,
    created_via: 'checkout',
    version: '9.4.2',
    status,
    currency: 'USD',
    date_created: localDate(createdMs, context),
    date_created_gmt: formatWpDate(createdMs),
    date_modified: localDate(modifiedMs, context),
    date_modified_gmt: formatWpDate(modifiedMs),
    discount_total: '0.00',
    discount_tax: '0.00',
    shipping_total: money(shippingTotal),
    shipping_tax: '0.00',
    cart_tax: '0.00',
    total: money(itemsTotal + shippingTotal),
    total_tax: '0.00',
    prices_include_tax: false,
    customer_id: customerId,
    customer_ip_address: `203.0.113.${integer(random, 1, 254)}`,
    customer_user_agent: 'Mozilla/5.0',
    customer_note: '',
    billing,
    shipping: { ...billing, email: undefined, phone: '' },
    payment_method: payment.id,
    payment_method_title: payment.title,
    transaction_id: paid && payment.id === 'stripe' ? `ch_${alphanumeric(random, 24)}` : '',
    date_paid: paidMs === undefined ? null : localDate(paidMs, context),
    date_paid_gmt: paidMs === undefined ? null : formatWpDate(paidMs),
    date_completed: completedMs === undefined ? null : localDate(completedMs, context),
    date_completed_gmt: completedMs === undefined ? null : formatWpDate(completedMs),
    cart_hash: hex32(random),
    meta_data: [],
    line_items: lineItems,
    tax_lines: [],
    shipping_lines: shippingTotal > 0 ? [{ id: id * 10 + 9, method_title: 'Flat rate', method_id: 'flat_rate', total: money(shippingTotal), total_tax: '0.00', taxes: [], meta_data: [] }] : [],
    fee_lines: [],
    coupon_lines: [],
    refunds: [],
    _links: links(context, 'orders', id),
  };
}

const emptyAddress = { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '', phone: '' };

/**
 * What a record created through the API starts as before its fields are applied: WooCommerce's
 * defaults for a customer, a simple product (untitled products are named "Product") and an order
 * made by `rest-api`.
 */
export function newRecord(context: DataContext, stream: FakeStream, id: number, nowMs: number): FakeRecord {
  const dates = {
    date_created: localDate(nowMs, context),
    date_created_gmt: formatWpDate(nowMs),
    date_modified: localDate(nowMs, context),
    date_modified_gmt: formatWpDate(nowMs),
  };
  switch (stream) {
    case 'customers':
      return {
        id,
        ...dates,
        email: '',
        first_name: '',
        last_name: '',
        role: 'customer',
        username: '',
        billing: { ...emptyAddress, email: '' },
        shipping: { ...emptyAddress },
        is_paying_customer: false,
        avatar_url: 'https://secure.gravatar.com/avatar/?s=96&d=mm&r=g',
        meta_data: [],
        _links: links(context, stream, id),
      };
    case 'products':
      return {
        id,
        name: 'Product',
        slug: `product-${id}`,
        permalink: `${context.storeUrl}/?post_type=product&p=${id}`,
        ...dates,
        type: 'simple',
        status: 'publish',
        featured: false,
        catalog_visibility: 'visible',
        description: '',
        short_description: '',
        sku: '',
        price: '',
        regular_price: '',
        sale_price: '',
        on_sale: false,
        purchasable: false,
        total_sales: 0,
        virtual: false,
        downloadable: false,
        tax_status: 'taxable',
        tax_class: '',
        manage_stock: false,
        stock_quantity: null,
        stock_status: 'instock',
        weight: '',
        dimensions: { length: '', width: '', height: '' },
        categories: [],
        tags: [],
        images: [],
        attributes: [],
        meta_data: [],
        _links: links(context, stream, id),
      };
    case 'orders':
      return {
        id,
        parent_id: 0,
        number: String(id),
        order_key: `wc_order_${alphanumeric(mulberry32(mix(context.seed, streamSalt.orders, id, 3)), 13)}`,
        created_via: 'rest-api',
        version: '9.4.2',
        status: 'pending',
        currency: 'USD',
        ...dates,
        discount_total: '0.00',
        discount_tax: '0.00',
        shipping_total: '0.00',
        shipping_tax: '0.00',
        cart_tax: '0.00',
        total: '0.00',
        total_tax: '0.00',
        prices_include_tax: false,
        customer_id: 0,
        customer_ip_address: '',
        customer_user_agent: '',
        customer_note: '',
        billing: { ...emptyAddress, email: '' },
        shipping: { ...emptyAddress },
        payment_method: '',
        payment_method_title: '',
        transaction_id: '',
        date_paid: null,
        date_paid_gmt: null,
        date_completed: null,
        date_completed_gmt: null,
        cart_hash: '',
        meta_data: [],
        line_items: [],
        tax_lines: [],
        shipping_lines: [],
        fee_lines: [],
        coupon_lines: [],
        refunds: [],
        _links: links(context, stream, id),
      };
  }
}
