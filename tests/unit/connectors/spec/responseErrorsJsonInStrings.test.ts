import { describe, expect, it } from 'vitest';
import { errorSpec } from '../../../../shared/connectors/spec/errorSpec.js';
import { errorFromResponse } from '../../../../shared/connectors/spec/responseErrors.js';
import { ValidationError } from '../../../../shared/connectors/validationError.js';

const context = { title: 'Site', method: 'POST', path: '/api/resource/Customer', secrets: ['key:very-secret-value'], nowMs: 0 };
/** Frappe's `_server_messages`: a JSON list of JSON-encoded objects, sent as text. */
const body = JSON.stringify({
  exc_type: 'MandatoryError',
  _server_messages: JSON.stringify([JSON.stringify({ message: 'Customer Name is required', indicator: 'red' })]),
});

describe('error paths through JSON held in strings', () => {
  it('reads a message inside JSON text when jsonInStrings is on', () => {
    const errors = errorSpec.parse({ codePath: 'exc_type', messagePath: '_server_messages.0.message', jsonInStrings: true });
    const error = errorFromResponse(errors, 'write', 422, {}, body, context);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'MandatoryError', providerMessage: 'Customer Name is required' });
    expect(error.message).toBe('Site POST /api/resource/Customer failed with 422 MandatoryError: Customer Name is required');
  });

  it('leaves paths literal by default, and stops at text that is not JSON', () => {
    const literal = errorFromResponse(errorSpec.parse({ codePath: 'exc_type', messagePath: '_server_messages.0.message' }), 'write', 422, {}, body, context);
    expect((literal as ValidationError).providerMessage).not.toBe('Customer Name is required');
    const notJson = JSON.stringify({ exc_type: 'X', _server_messages: 'plain text' });
    const stopped = errorFromResponse(errorSpec.parse({ codePath: 'exc_type', messagePath: '_server_messages.0.message', jsonInStrings: true }), 'write', 422, {}, notJson, context);
    expect(stopped).toMatchObject({ code: 'X' });
    expect((stopped as ValidationError).providerMessage).toContain('plain text');
  });
});
