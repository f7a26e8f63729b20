import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { documentedConnectionInput, documentedConnectionView } from '../../../shared/connectors/documentedConnection.js';
import { registeredProviders } from '../../../shared/connectors/registeredProviders.js';

const providerNames = registeredProviders.map((provider) => provider.provider);

type Json = Record<string, any>;

/** The provider variants of a documented schema, as the API description shows them (a named schema is a `$ref` to its definition). */
function variants(schema: z.ZodType, io: 'input' | 'output'): Json[] {
  const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return converted.$defs[converted.$ref.replace('#/$defs/', '')].oneOf;
}

describe('the connection as the API description shows it', () => {
  it('has a variant for every provider, naming its settings and credentials', () => {
    const inputs = variants(documentedConnectionInput, 'input');
    expect(providerNames.length).toBeGreaterThan(0);
    expect(inputs.map((variant) => variant.properties.provider.const).sort()).toEqual([...providerNames].sort());
    const woo = inputs.find((variant) => variant.properties.provider.const === 'woocommerce')!;
    expect(Object.keys(woo.properties.settings.properties)).toEqual(expect.arrayContaining(['baseUrl', 'timeoutMs']));
    expect(woo.properties.credentials.required).toEqual(['consumerKey', 'consumerSecret']);
  });

  it('accepts what a save of a WooCommerce connection accepts, and refuses what it refuses', () => {
    const connection = { provider: 'woocommerce', settings: { baseUrl: 'https://shop.example.com' } };
    expect(documentedConnectionInput.safeParse({ ...connection, credentials: { consumerKey: 'ck_12345678', consumerSecret: 'cs_12345678' } }).success).toBe(true);
    expect(documentedConnectionInput.safeParse(connection).success, 'an update keeps the stored credentials').toBe(true);
    expect(documentedConnectionInput.safeParse({ ...connection, credentials: { consumerKey: 'ck_12345678' } }).success).toBe(false);
    expect(documentedConnectionInput.safeParse({ ...connection, settings: { baseUrl: 'ftp://shop.example.com' } }).success).toBe(false);
  });

  it('never shows credentials or the names of the secrets that hold them in an answer', () => {
    const answers = variants(documentedConnectionView, 'output');
    expect(answers.length).toBeGreaterThan(0);
    for (const answer of answers) {
      expect(answer.additionalProperties).toBe(false);
      for (const secret of ['credentials', 'webhookSecret', 'secretRef', 'webhookSecretRef', 'legacySecretRefs']) expect(answer.properties).not.toHaveProperty(secret);
      expect(answer.required).toEqual(expect.arrayContaining(['hasCredentials', 'hasWebhookSecret']));
    }
  });
});
