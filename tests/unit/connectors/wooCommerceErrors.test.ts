import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../shared/connectors/authError.js';
import { ProviderError } from '../../../shared/connectors/providerError.js';
import { ProviderUnavailableError } from '../../../shared/connectors/providerUnavailableError.js';
import { RateLimitError } from '../../../shared/connectors/rateLimitError.js';
import { RecordNotFoundError } from '../../../shared/connectors/recordNotFoundError.js';
import { ValidationError } from '../../../shared/connectors/validationError.js';
import { WriteConflictError } from '../../../shared/connectors/writeConflictError.js';
import { errorFromResponse, type RequestContext } from '../../../shared/connectors/spec/responseErrors.js';
import { wooCommerceSpec } from '../../../shared/connectors/woocommerce/wooCommerceSpec.js';

const context: RequestContext = { title: 'WooCommerce', method: 'PUT', path: '/wp-json/wc/v3/customers/7', secrets: ['cs_secret'], nowMs: 0 };
const wp = (code: string, message: string, data: Record<string, unknown> = {}) => JSON.stringify({ code, message, data });
const map = (status: number, body: string, headers: Record<string, string> = {}) => errorFromResponse(wooCommerceSpec.errors, 'write', status, headers, body, context);

describe('WooCommerce write errors, as its spec maps them', () => {
  it('maps 409 and 412 to WriteConflictError', () => {
    for (const status of [409, 412]) {
      const error = map(status, wp('rest_conflict', 'changed', { status }));
      expect(error).toBeInstanceOf(WriteConflictError);
      expect(error).toMatchObject({ status, code: 'rest_conflict', retriable: false });
    }
  });

  it('recognises every unknown-id code, at 400 or 404, but not a missing route', () => {
    for (const [status, code] of [
      [404, 'woocommerce_rest_invalid_id'],
      [400, 'woocommerce_rest_invalid_id'],
      [404, 'wc_user_invalid_id'],
      [400, 'woocommerce_rest_product_invalid_id'],
      [400, 'woocommerce_rest_shop_order_invalid_id'],
    ] as const) {
      expect(map(status, wp(code, 'Invalid ID.'))).toBeInstanceOf(RecordNotFoundError);
    }
    const noRoute = map(404, wp('rest_no_route', 'No route was found matching the URL and request method.'));
    expect(noRoute).not.toBeInstanceOf(RecordNotFoundError);
    expect(noRoute).toMatchObject({ status: 404, code: 'rest_no_route', retriable: false });
    // A line item's product id is data, not the record's id.
    expect(map(400, wp('woocommerce_rest_invalid_product_id', 'Invalid product ID.'))).toBeInstanceOf(ValidationError);
  });

  it('maps 400 and 422 to ValidationError with the provider message and named fields', () => {
    const invalid = map(400, wp('rest_invalid_param', 'Invalid parameter(s): email', { status: 400, params: { email: 'Invalid email address.' } }));
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({ providerMessage: 'Invalid parameter(s): email', fieldErrors: { email: 'Invalid email address.' } });
    expect(invalid.message).toBe('WooCommerce PUT /wp-json/wc/v3/customers/7 failed with 400 rest_invalid_param: Invalid parameter(s): email');

    const missing = map(400, wp('rest_missing_callback_param', 'Missing parameter(s): email', { status: 400, params: ['email'] }));
    expect(missing).toMatchObject({ fieldErrors: { email: 'missing' } });
    const odd = map(422, wp('unprocessable', 'No.', { params: 42 }));
    expect(odd).toBeInstanceOf(ValidationError);
    expect(odd).toMatchObject({ status: 422, providerMessage: 'No.', fieldErrors: undefined });
    const html = map(400, '<html><body>Bad Request</body></html>');
    expect(html).toMatchObject({ code: 'http_400', providerMessage: '<html><body>Bad Request</body></html>' });
  });

  it('scrubs known secrets from what the store echoes back', () => {
    const error = map(400, wp('woocommerce_rest_bad', 'rejected cs_secret', { params: { key: 'cs_secret is wrong' } })) as ValidationError;
    expect(error.providerMessage).toBe('rejected [redacted]');
    expect(error.message).not.toContain('cs_secret');
  });

  it('leaves auth, rate limits and 5xx to the read side classification', () => {
    expect(map(401, wp('woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.'))).toBeInstanceOf(AuthError);
    expect(map(429, wp('too_many_requests', 'slow'), { 'retry-after': '3' })).toMatchObject({ retryAfterMs: 3000 });
    expect(map(429, '')).toBeInstanceOf(RateLimitError);
    expect(map(503, 'down')).toBeInstanceOf(ProviderUnavailableError);
    expect(map(405, wp('rest_method', 'no'))).toMatchObject({ retriable: false });
    expect(map(405, wp('rest_method', 'no'))).toBeInstanceOf(ProviderError);
  });
});
