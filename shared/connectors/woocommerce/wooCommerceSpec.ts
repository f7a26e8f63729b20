import { connectorSpec, type ConnectorSpecInput } from '../spec/connectorSpec.js';

/** Every list: ordered by id, so pages stay put while records are modified during a read. */
const list = { orderby: 'id', order: 'asc' };
/** https://woocommerce.github.io/woocommerce-rest-api-docs/#pagination */
const paginator = { kind: 'pageNumber', pageParam: 'page', sizeParam: 'per_page', totalRecordsHeader: 'X-WP-Total', totalPagesHeader: 'X-WP-TotalPages' } as const;
/**
 * WordPress' date_query `after` is exclusive and to the second, dates read as GMT with
 * `dates_are_gmt`. The customers endpoint has no `modified_after`
 * (https://github.com/woocommerce/woocommerce/issues/41371) and silently ignores it, so customers
 * are filtered on `date_modified_gmt` after reading.
 */
const modifiedAfter = { param: 'modified_after', format: 'iso8601-seconds-no-zone', exclusive: true, params: { dates_are_gmt: 'true' } } as const;
/**
 * Partial updates (PUT; WooCommerce sets only the fields sent, nested address fields one by one),
 * creates by POST. WooCommerce offers no ETag or If-Match, so an update is check-then-write on
 * `date_modified_gmt` to the second, its precision: an edit landing between that read and the PUT,
 * or in the same second as the edit the caller read, is overwritten unnoticed. Nothing better
 * exists on this API. The id belongs in the URL only: WordPress reads a JSON body's parameters
 * before the URL's (WP_REST_Request::get_parameter_order), so a body `id` would redirect an update.
 */
const writes = (stream: string) => ({
  create: { method: 'POST' as const, path: stream },
  update: { method: 'PUT' as const, path: `${stream}/{id}` },
  concurrency: { kind: 'none' as const },
  forbiddenFields: ['id'],
});

const stream = (name: string, filteredByStore: boolean, dependsOn: string[] = []) => ({
  name,
  path: name,
  query: list,
  idField: 'id',
  modifiedField: 'date_modified_gmt',
  idPattern: '^[1-9][0-9]*$',
  idsParam: 'include',
  dependsOn,
  paginator,
  ...(filteredByStore ? { incremental: modifiedAfter } : {}),
  writes: writes(name),
});

const spec: ConnectorSpecInput = {
  title: 'WooCommerce',
  baseUrl: '{baseUrl}/wp-json/wc/v3/',
  // Over https; over plain http every request is OAuth 1.0a-signed instead (wooCommerceHooks).
  auth: { kind: 'basic', usernameField: 'consumerKey', passwordField: 'consumerSecret' },
  maxPageSize: 100,
  // WooCommerce documents no rate-limit headers, but hosts and plugins in front of it send the common ones.
  rateLimitHeaders: true,
  errors: {
    // WordPress REST errors: {code, message, data: {status, params}} (WP_REST_Request::has_valid_params).
    codePath: 'code',
    messagePath: 'message',
    fieldErrorsPath: 'data.params',
    rules: [
      // An unknown id is matched by code because the status varies: `woocommerce_rest_{product|shop_order}_invalid_id`
      // is 404 on reads but 400 on updates (WC_REST_CRUD_Controller), customers answer `wc_user_invalid_id` 404
      // (older stores: `woocommerce_rest_invalid_id` 400).
      { status: [400, 404], code: '(^|_)invalid_id$', on: 'write', kind: 'notFound' },
      // A missing route is the store's setup, not a missing record.
      { status: [404], on: 'write', kind: 'fatal' },
    ],
  },
  // GET customers?per_page=1: authenticated like every request (WordPress authenticates before
  // routing), it needs the read permission a sync needs and costs one small query. `system_status`
  // is not cheap: it gathers the whole environment report, remote checks included.
  connectionTest: { stream: 'customers', hint: "is baseUrl the store's root?" },
  // Orders refer to customers and products, so a run that syncs them all reads those first.
  streams: [stream('customers', false), stream('products', true), stream('orders', true, ['customers', 'products'])],
};

/** WooCommerce's REST API v3 (https://woocommerce.github.io/woocommerce-rest-api-docs/) as a connector spec. */
export const wooCommerceSpec = connectorSpec.parse(spec);
