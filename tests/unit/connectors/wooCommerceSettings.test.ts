import { describe, expect, it } from 'vitest';
import { wooCommerceCredentialsSchema, wooCommerceSettingsSchema } from '../../../shared/connectors/woocommerce/wooCommerceSettings.js';

describe('WooCommerce settings', () => {
  it('accept an http(s) store URL and default the timeout', () => {
    expect(wooCommerceSettingsSchema.parse({ baseUrl: 'https://shop.example.com/store' })).toEqual({
      baseUrl: 'https://shop.example.com/store',
      timeoutMs: 30_000,
    });
  });

  it('reject other schemes, embedded credentials, queries and unknown keys', () => {
    for (const settings of [
      { baseUrl: 'ftp://shop.example.com' },
      { baseUrl: 'https://user:pass@shop.example.com' },
      { baseUrl: 'https://shop.example.com/?consumer_key=ck' },
      { baseUrl: 'https://shop.example.com', caCertificate: 'not a pem' },
      { baseUrl: 'https://shop.example.com', consumerSecret: 'belongs in credentials' },
    ]) {
      expect(wooCommerceSettingsSchema.safeParse(settings).success, JSON.stringify(settings)).toBe(false);
    }
  });

  it('require both halves of the key pair without echoing them in errors', () => {
    const result = wooCommerceCredentialsSchema.safeParse({ consumerKey: 'ck_1234567', consumerSecret: '' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error)).not.toContain('ck_1234567');
  });

  it('refuse keys too short to be told apart from ordinary text (they could not be redacted)', () => {
    const result = wooCommerceCredentialsSchema.safeParse({ consumerKey: 'ck_1', consumerSecret: 'cs_1' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['consumerKey', 'consumerSecret']);
    expect(wooCommerceCredentialsSchema.safeParse({ consumerKey: 'ck_12345', consumerSecret: 'cs_12345' }).success).toBe(true);
  });
});
