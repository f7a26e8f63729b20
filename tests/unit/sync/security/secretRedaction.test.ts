import { describe, expect, it } from 'vitest';
import { LocalSecrets } from '../../../../shared/adapters/embedded/localSecrets.js';
import { SecretRedaction } from '../../../../shared/sync/security/secretRedaction.js';
import { secretsWithRedaction } from '../../../../shared/sync/security/secretsWithRedaction.js';

const credentials = { consumerKey: 'ck_2b7c9e1f0a3d4c5b6a7f8e9d0c1b2a3f', consumerSecret: 'cs_8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a' };

describe('the process’s secret redaction', () => {
  it('learns every secret read or saved through the Secrets port: credential documents by their values, signing keys whole', async () => {
    const stored = new LocalSecrets();
    await stored.set('conn-a', JSON.stringify(credentials));
    const redaction = new SecretRedaction();
    const secrets = secretsWithRedaction(stored, redaction);
    const text = `${credentials.consumerKey} ${credentials.consumerSecret} whsec_signing_key_1 alert-key-123456`;
    expect(redaction.redact(text)).toBe(text);

    expect(await secrets.get('conn-a')).toBe(JSON.stringify(credentials));
    await secrets.set('webhook-a', 'whsec_signing_key_1');
    await stored.set('alerts-a', 'alert-key-123456');
    expect(await secrets.get('alerts-a')).toBe('alert-key-123456');
    expect(await secrets.get('missing')).toBeUndefined();

    expect(redaction.redact(text)).toBe('[redacted] [redacted] [redacted] [redacted]');
    expect(await stored.get('webhook-a')).toBe('whsec_signing_key_1');
  });

  it('does not take field names of a credentials document for secrets', () => {
    const redaction = new SecretRedaction();
    redaction.addStored(JSON.stringify(credentials));
    expect(redaction.redact('consumerKey and consumerSecret are required')).toBe('consumerKey and consumerSecret are required');
  });

  it('redacts values deeply with everything learnt so far', () => {
    const redaction = new SecretRedaction();
    redaction.add('first-secret-1');
    expect(redaction.redactValue({ a: ['first-secret-1', 'second-secret-2'] })).toEqual({ a: ['[redacted]', 'second-secret-2'] });
    redaction.add('second-secret-2');
    expect(redaction.redactValue({ a: ['first-secret-1', 'second-secret-2'] })).toEqual({ a: ['[redacted]', '[redacted]'] });
  });
});
