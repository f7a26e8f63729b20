import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../shared/connectors/authError.js';
import { ProviderError } from '../../../shared/connectors/providerError.js';
import { ProviderUnavailableError } from '../../../shared/connectors/providerUnavailableError.js';
import { RateLimitError } from '../../../shared/connectors/rateLimitError.js';
import { RecordNotFoundError } from '../../../shared/connectors/recordNotFoundError.js';
import { ValidationError } from '../../../shared/connectors/validationError.js';
import { WriteConflictError } from '../../../shared/connectors/writeConflictError.js';
import { WriteOutcomeUnknownError } from '../../../shared/connectors/writeOutcomeUnknownError.js';
import { redactCredentials } from '../../../shared/connectors/redactCredentials.js';

describe('provider errors', () => {
  it('carry status, code and retriability by class', () => {
    expect(new AuthError({ status: 403, code: 'forbidden', message: 'no' })).toMatchObject({ name: 'AuthError', status: 403, retriable: false });
    expect(new RateLimitError({ code: 'slow', message: 'later', retryAfterMs: 5 })).toMatchObject({ status: 429, retriable: true, retryAfterMs: 5 });
    expect(new ProviderUnavailableError({ code: 'ECONNRESET', message: 'reset' })).toMatchObject({ status: undefined, retriable: true });
    expect(new AuthError({ status: 401, code: 'x', message: 'y' })).toBeInstanceOf(ProviderError);
  });

  it('of writes: conflicts carry the current record, only an unknown create outcome is retriable', () => {
    const current = { id: 3, date_modified_gmt: '2024-05-01T10:00:00' };
    expect(new WriteConflictError({ status: 412, code: 'x', message: 'changed', current })).toMatchObject({ name: 'WriteConflictError', retriable: false, current });
    expect(new WriteConflictError({ code: 'x', message: 'changed' }).current).toBeUndefined();
    expect(new RecordNotFoundError({ status: 404, code: 'x', message: 'gone' })).toMatchObject({ name: 'RecordNotFoundError', retriable: false });
    const unknown = new WriteOutcomeUnknownError({ status: 500, code: 'x', message: 'maybe', retryAfterMs: 10 });
    expect(unknown).toBeInstanceOf(ProviderUnavailableError);
    expect(unknown).toMatchObject({ name: 'WriteOutcomeUnknownError', retriable: true, retryAfterMs: 10 });
  });

  it('of validation keep the provider message and field messages, redacted', () => {
    const error = new ValidationError({
      status: 400,
      code: 'rest_invalid_param',
      message: 'PUT failed: Invalid parameter(s): email',
      providerMessage: 'Invalid parameter(s): email; sent consumer_secret=cs_456 in the query',
      fieldErrors: { email: 'Invalid email address. Authorization: Bearer abcdefgh1234' },
    });
    expect(error).toMatchObject({ name: 'ValidationError', retriable: false, status: 400 });
    expect(error.providerMessage).toBe('Invalid parameter(s): email; sent consumer_secret=[redacted] in the query');
    expect(error.fieldErrors).toEqual({ email: 'Invalid email address. Authorization: Bearer [redacted]' });
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
