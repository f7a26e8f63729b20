import { inspect } from 'node:util';
import type { TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { Secrets } from '../../ports/secrets.js';
import { toKeyVaultSecretsError } from './keyVaultSecretsError.js';
import { keyVaultSecretName } from './secretNames.js';

export interface KeyVaultSecretsOptions {
  /** e.g. `https://vault-name.vault.azure.net/` */
  vaultUrl: string;
  credential: TokenCredential;
  /** How long a value read or written stays in memory before the vault is asked again (default 60 s). */
  cacheTtlMs?: number;
  /** Passed to SecretClient, e.g. `tlsOptions` or `disableChallengeResourceVerification` for a local vault. */
  clientOptions?: SecretClientOptions;
  clock?: Clock;
}

interface CacheEntry {
  value: Promise<string | undefined>;
  expiresAt: number;
}

/**
 * Secrets in Azure Key Vault. Values are cached briefly, since every sync page reads its
 * connection's credentials; concurrent reads of one name share a single request. Misses are not
 * cached, so a secret created elsewhere (another instance) is seen at once. Errors are
 * KeyVaultSecretsError, which never carry values; values live in private fields only.
 */
export class KeyVaultSecrets implements Secrets {
  readonly #client: SecretClient;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  readonly #cache = new Map<string, CacheEntry>();

  constructor(options: KeyVaultSecretsOptions) {
    this.#client = new SecretClient(options.vaultUrl, options.credential, options.clientOptions);
    this.#ttlMs = options.cacheTtlMs ?? 60_000;
    this.#clock = options.clock ?? systemClock;
  }

  get(name: string): Promise<string | undefined> {
    const key = keyVaultSecretName(name);
    const now = this.#clock.now().getTime();
    const cached = this.#cache.get(key);
    if (cached && now < cached.expiresAt) return cached.value;

    const entry: CacheEntry = { value: this.#fetch(name, key), expiresAt: now + this.#ttlMs };
    this.#cache.set(key, entry);
    const forget = () => {
      if (this.#cache.get(key) === entry) this.#cache.delete(key); // unless a set replaced it meanwhile
    };
    entry.value.then((value) => value === undefined && forget(), forget);
    return entry.value;
  }

  async set(name: string, value: string): Promise<void> {
    const key = keyVaultSecretName(name);
    try {
      await this.#client.setSecret(key, value);
    } catch (error) {
      this.#cache.delete(key); // the write may or may not have landed: read the vault next time
      throw toKeyVaultSecretsError('set', name, error);
    }
    this.#cache.set(key, { value: Promise.resolve(value), expiresAt: this.#clock.now().getTime() + this.#ttlMs });
  }

  /** Starts Key Vault's soft delete and does not wait for it: the name reads as absent at once. */
  async delete(name: string): Promise<void> {
    const key = keyVaultSecretName(name);
    this.#cache.delete(key);
    try {
      await this.#client.beginDeleteSecret(key);
    } catch (error) {
      if ((error as { statusCode?: unknown }).statusCode === 404) return;
      throw toKeyVaultSecretsError('delete', name, error);
    }
  }

  toJSON(): Record<string, never> {
    return {};
  }

  [inspect.custom](): string {
    return 'KeyVaultSecrets { <values hidden> }';
  }

  async #fetch(name: string, key: string): Promise<string | undefined> {
    try {
      return (await this.#client.getSecret(key)).value;
    } catch (error) {
      // Only a missing secret means "absent"; a 404 from a wrong vault URL path has another code.
      if (isSecretNotFound(error)) return undefined;
      throw toKeyVaultSecretsError('get', name, error);
    }
  }
}

function isSecretNotFound(error: unknown): boolean {
  const { statusCode, code } = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  return statusCode === 404 && code === 'SecretNotFound';
}
