import { describe, expect, it } from 'vitest';
import { AuthError, ProviderError, ProviderUnavailableError, RateLimitError, redactCredentials } from '../../../shared/connectors/providerErrors.js';

describe('provider errors', () => {
  it('carry status, code and retriability by class', () => {
    expect(new AuthError({ status: 403, code: 'forbidden', message: 'no' })).toMatchObject({ name: 'AuthError', status: 403, retriable: false });
    expect(new RateLimitError({ code: 'slow', message: 'later', retryAfterMs: 5 })).toMatchObject({ status: 429, retriable: true, retryAfterMs: 5 });
    expect(new ProviderUnavailableError({ code: 'ECONNRESET', message: 'reset' })).toMatchObject({ status: undefined, retriable: true });
    expect(new AuthError({ status: 401, code: 'x', message: 'y' })).toBeInstanceOf(ProviderError);
  });

  it('redact credentials from their messages', () => {
    const error = new ProviderError({
      status: 400,
      code: 'x',
      retriable: false,
      message:
        'GET /wc/v3/orders?page=1&consumer_key=ck_123&consumer_secret=cs_456&oauth_signature=abc%3D&oauth_nonce=n1 failed; Authorization: Basic Y2tfMTIzOmNzXzQ1Ng==',
    });
    expect(error.message).toBe(
      'GET /wc/v3/orders?page=1&consumer_key=[redacted]&consumer_secret=[redacted]&oauth_signature=[redacted]&oauth_nonce=[redacted] failed; Authorization: Basic [redacted]',
    );
  });

  it('redact known secret values and bare tokens but leave prose alone', () => {
    expect(redactCredentials('store said: bad secret cs_456', ['cs_456'])).toBe('store said: bad secret [redacted]');
    expect(redactCredentials('sent Bearer eyJhbGciOi.x')).toBe('sent Bearer [redacted]');
    expect(redactCredentials('Basic authentication is required')).toBe('Basic authentication is required');
  });
});
