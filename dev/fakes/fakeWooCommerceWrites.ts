import { z } from 'zod';
import type { FakeRecord, FakeStream } from './fakeWooCommerceData.js';

/** A WordPress REST error: the status and the JSON body WordPress sends with it. */
export interface FakeRestError {
  status: number;
  body: { code: string; message: string; data: Record<string, unknown> };
}

/** A write's parameters: the body as sent, and the fields to store (validated, sanitized, read-only ones dropped). */
export interface WriteParams {
  body: FakeRecord;
  fields: FakeRecord;
}

/**
 * Argument rules for the fields the fake checks, after the v3 item schemas
 * (WC_REST_{Customers,Products,Orders}_V2_Controller::get_item_schema). Fields without a rule are
 * taken as sent: the fake stores them, where WooCommerce would ignore the ones it does not know.
 */
interface Rule {
  type: 'string' | 'integer' | 'boolean' | 'object' | 'array';
  nullable?: true;
  format?: 'email';
  enum?: readonly string[];
  properties?: Readonly<Record<string, Rule>>;
}

const text: Rule = { type: 'string' };
const addressFields = ['first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country', 'phone'];
const address: Record<string, Rule> = Object.fromEntries(addressFields.map((name) => [name, text]));
const list: Rule = { type: 'array' };

const rules: Record<FakeStream, Record<string, Rule>> = {
  customers: {
    email: { type: 'string', format: 'email' },
    first_name: text,
    last_name: text,
    username: text,
    password: text,
    billing: { type: 'object', properties: { ...address, email: { type: 'string', format: 'email' } } },
    shipping: { type: 'object', properties: address },
    meta_data: list,
  },
  products: {
    name: text,
    slug: text,
    sku: text,
    status: { type: 'string', enum: ['draft', 'pending', 'private', 'publish', 'future', 'auto-draft', 'trash'] },
    description: text,
    short_description: text,
    // Prices are strings in WooCommerce: a JSON number is refused.
    regular_price: text,
    sale_price: text,
    manage_stock: { type: 'boolean' },
    stock_quantity: { type: 'integer' },
    categories: list,
    meta_data: list,
  },
  orders: {
    status: { type: 'string', enum: ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft'] },
    currency: text,
    customer_id: { type: 'integer' },
    customer_note: text,
    // Orders accept null to clear the billing email (woocommerce/woocommerce#30850).
    billing: { type: 'object', properties: { ...address, email: { type: 'string', nullable: true, format: 'email' } } },
    shipping: { type: 'object', properties: address },
    payment_method: text,
    transaction_id: text,
    set_paid: { type: 'boolean' },
    line_items: list,
    meta_data: list,
  },
};

/** Read-only properties: WooCommerce ignores them in a request body. */
const common = ['id', 'date_modified', 'date_modified_gmt', '_links'];
const readOnly: Record<FakeStream, ReadonlySet<string>> = {
  customers: new Set([...common, 'date_created', 'date_created_gmt', 'role', 'is_paying_customer', 'avatar_url']),
  products: new Set([...common, 'permalink', 'price', 'on_sale', 'purchasable', 'total_sales']),
  orders: new Set([
    ...common,
    'number', 'order_key', 'created_via', 'version', 'date_created', 'date_created_gmt', 'discount_total', 'discount_tax',
    'shipping_total', 'shipping_tax', 'cart_tax', 'total', 'total_tax', 'prices_include_tax', 'customer_ip_address',
    'customer_user_agent', 'date_paid', 'date_paid_gmt', 'date_completed', 'date_completed_gmt', 'cart_hash', 'refunds',
  ]),
};

const bodySchema = z.record(z.string(), z.unknown());

/**
 * A write's body as WordPress takes it before any permission check: invalid JSON is 400
 * `rest_invalid_json`, invalid arguments 400 `rest_invalid_param` (WP_REST_Request::has_valid_params);
 * valid ones are sanitized as WordPress does (integer and boolean strings).
 */
export function parseWrite(stream: FakeStream, bodyText: string): WriteParams | { error: FakeRestError } {
  let json: unknown;
  try {
    json = bodyText.trim() === '' ? {} : JSON.parse(bodyText);
  } catch (error) {
    return {
      error: restError(400, 'rest_invalid_json', 'Invalid JSON body passed.', { json_error_code: 4, json_error_message: (error as Error).message }),
    };
  }
  // A JSON body that is not an object carries no named parameters.
  const body = bodySchema.safeParse(json).data ?? {};

  const invalid: Record<string, string> = {};
  const fields: FakeRecord = {};
  for (const [name, value] of Object.entries(body)) {
    if (readOnly[stream].has(name)) continue;
    const rule = rules[stream][name];
    const checked = rule ? check(value, rule, name) : { value };
    if ('invalid' in checked) invalid[name] = checked.invalid;
    else fields[name] = checked.value;
  }
  const names = Object.keys(invalid);
  if (names.length > 0) {
    return { error: restError(400, 'rest_invalid_param', `Invalid parameter(s): ${names.join(', ')}`, { params: invalid }) };
  }
  return { body, fields };
}

export interface WriteTarget {
  stream: FakeStream;
  /** The record as it is, for an update; undefined for a create. */
  current: FakeRecord | undefined;
  customerExists: (id: number) => boolean;
}

/**
 * The controllers' own checks, after authentication and the permission check, and the fields
 * WooCommerce derives (a created customer's username, a product's `price` and `on_sale`).
 * Simplified: order line items are stored as sent and totals are not recalculated.
 */
export function checkWrite(target: WriteTarget, { body, fields }: WriteParams): { fields: FakeRecord } | { error: FakeRestError } {
  const { stream, current } = target;
  if (!current && body.id) {
    const [code, message] =
      stream === 'customers'
        ? ['woocommerce_rest_customer_exists', 'Cannot create existing resource.']
        : [`woocommerce_rest_${postType[stream]}_exists`, `Cannot create existing ${postType[stream]}.`];
    return { error: restError(400, code, message) };
  }
  const refused = controllerCheck(target, fields);
  if (refused) return { error: refused };
  return { fields: { ...fields, ...derived(stream, current, fields) } };
}

/** The post types behind the CRUD controllers' error codes (`woocommerce_rest_{post_type}_…`). */
const postType = { products: 'product', orders: 'shop_order' } as const;

/** What answers an update of an id the store does not have (see writeErrorFromResponse in the connector). */
export function unknownIdError(stream: FakeStream): FakeRestError {
  // Customers fail in the permission check (Users::get_user_in_current_site), the others in
  // WC_REST_CRUD_Controller::update_item.
  return stream === 'customers'
    ? restError(404, 'wc_user_invalid_id', 'Invalid user ID.')
    : restError(400, `woocommerce_rest_${postType[stream]}_invalid_id`, 'Invalid ID.');
}

function restError(status: number, code: string, message: string, data: Record<string, unknown> = {}): FakeRestError {
  return { status, body: { code, message, data: { status, ...data } } };
}

function controllerCheck({ stream, current, customerExists }: WriteTarget, fields: FakeRecord): FakeRestError | undefined {
  if (stream === 'customers') {
    // WC_REST_Customers_V1_Controller::update_item / wc_create_new_customer.
    if (current && typeof fields.username === 'string' && fields.username !== '' && fields.username !== current.username) {
      return restError(400, 'woocommerce_rest_customer_invalid_argument', "Username isn't editable.");
    }
    if (!current && !fields.email) return restError(400, 'registration-error-invalid-email', 'Please provide a valid email address.');
  }
  if (stream === 'orders' && typeof fields.customer_id === 'number' && fields.customer_id !== 0 && !customerExists(fields.customer_id)) {
    return restError(400, 'woocommerce_rest_invalid_customer_id', 'Customer ID is invalid.');
  }
  return undefined;
}

function derived(stream: FakeStream, current: FakeRecord | undefined, fields: FakeRecord): FakeRecord {
  if (stream === 'customers' && !current && !fields.username && typeof fields.email === 'string') {
    // wc_create_new_customer_username starts from the email's local part.
    return { username: fields.email.split('@')[0] };
  }
  if (stream !== 'products' || !('regular_price' in fields || 'sale_price' in fields)) return {};
  const regular = String(fields.regular_price ?? current?.regular_price ?? '');
  const sale = String(fields.sale_price ?? current?.sale_price ?? '');
  const onSale = sale !== '' && Number(sale) < Number(regular);
  return { price: onSale ? sale : regular, on_sale: onSale };
}

type Checked = { value: unknown } | { invalid: string };

/** rest_validate_value_from_schema and rest_sanitize_value_from_schema, for the rules above. */
function check(value: unknown, rule: Rule, param: string): Checked {
  if (value === null && rule.nullable) return { value: '' };
  const types = rule.nullable ? `${rule.type},null` : rule.type;
  const wrongType = { invalid: `${param} is not of type ${types}.` };
  switch (rule.type) {
    case 'string':
      if (typeof value !== 'string') return wrongType;
      if (rule.enum && !rule.enum.includes(value)) return { invalid: `${param} is not one of ${listOf(rule.enum)}.` };
      if (rule.format === 'email' && !isEmail(value)) return { invalid: 'Invalid email address.' };
      // Prices go through wc_format_decimal: everything but digits, '-' and the last '.' is dropped.
      return { value: /_price$/.test(param) ? value.replace(/\.(?![^.]+$)|[^0-9.-]/g, '') : value };
    case 'integer': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof number === 'number' && Number.isInteger(number) ? { value: number } : wrongType;
    }
    case 'boolean': {
      const known = new Map<unknown, boolean>([[true, true], [false, false], ['true', true], ['false', false], ['1', true], ['0', false], [1, true], [0, false]]);
      const normalized = typeof value === 'string' ? value.toLowerCase() : value;
      return known.has(normalized) ? { value: known.get(normalized) } : wrongType;
    }
    case 'array':
      return Array.isArray(value) ? { value } : wrongType;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return wrongType;
      const result: FakeRecord = {};
      for (const [name, inner] of Object.entries(value)) {
        const innerRule = rule.properties?.[name];
        const checked = innerRule ? check(inner, innerRule, `${param}[${name}]`) : { value: inner };
        if ('invalid' in checked) return checked;
        result[name] = checked.value;
      }
      return { value: result };
    }
  }
}

/** WordPress' is_email, roughly: local@domain with a dot in the domain; empty is not an address. */
function isEmail(value: string): boolean {
  return /^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+$/.test(value);
}

/** wp_sprintf_l: "a, b, and c". */
function listOf(values: readonly string[]): string {
  return values.length <= 2 ? values.join(' and ') : `${values.slice(0, -1).join(', ')}, and ${values.at(-1)}`;
}
