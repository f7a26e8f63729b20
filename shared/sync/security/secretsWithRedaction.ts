import type { Secrets } from '../../ports/secrets.js';
import type { SecretRedaction } from './secretRedaction.js';

/**
 * The Secrets port, telling `redaction` every secret that passes through it (read or saved), so
 * whatever loads a credential — a connector, a webhook verifier, an alert signer — has it
 * redacted from then on without remembering to.
 */
export function secretsWithRedaction(secrets: Secrets, redaction: SecretRedaction): Secrets {
  return {
    async get(name) {
      const value = await secrets.get(name);
      if (value !== undefined) redaction.addStored(value);
      return value;
    },
    async set(name, value) {
      redaction.addStored(value);
      await secrets.set(name, value);
    },
    delete: (name) => secrets.delete(name),
  };
}
