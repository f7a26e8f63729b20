import type { StreamInfo } from '../connector.js';

export type WooCommerceStream = StreamInfo;

/**
 * `serverFiltersModified`: whether `/wc/v3/{stream}` accepts `modified_after`. The customers
 * endpoint does not (https://github.com/woocommerce/woocommerce/issues/41371) and silently
 * ignores it, so customers are filtered on `date_modified_gmt` after reading.
 */
const stream = (name: string, serverFiltersModified: boolean, dependsOn: string[] = []): WooCommerceStream => ({
  name,
  idField: 'id',
  modifiedField: 'date_modified_gmt',
  dependsOn,
  serverFiltersModified,
});

/** Orders refer to customers and products, so a run that syncs them all reads those first. */
export const wooCommerceStreams: readonly WooCommerceStream[] = [
  stream('customers', false),
  stream('products', true),
  stream('orders', true, ['customers', 'products']),
];
