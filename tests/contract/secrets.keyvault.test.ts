import { inspect } from 'node:util';
import { DefaultAzureCredential, type AccessToken, type GetTokenOptions, type TokenCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKeyVault, type FakeKeyVault } from '../../dev/fakes/fakeKeyVault.js';
import { KeyVaultSecrets, type KeyVaultSecretsOptions } from '../../shared/adapters/azure/keyVaultSecrets.js';
import { KeyVaultSecretsError } from '../../shared/adapters/azure/keyVaultSecretsError.js';
import { keyVaultSecretName } from '../../shared/adapters/azure/secretNames.js';
import { describeSecretsContract } from './secretsContract.js';

const TOKEN = 'fake-vault-access-token';
const TENANT = '00000000-0000-4000-8000-00000000abcd';

/** Hands out one fixed token (the fake accepts only TOKEN) and records what it was asked for. */
function staticCredential(token = TOKEN) {
  const requests: Array<{ scopes: string[]; tenantId: string | undefined }> = [];
  const credential: TokenCredential = {
    getToken: async (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> => {
      requests.push({ scopes: [scopes].flat(), tenantId: options?.tenantId });
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  return { credential, requests };
}

let vault: FakeKeyVault;
beforeAll(async () => {
  vault = await startFakeKeyVault({ token: TOKEN, tenantId: TENANT });
});
afterAll(async () => {
  await vault.close();
});

/** Trusts the fake's certificate for this client only; the loopback host is not *.vault.azure.net. */
const fakeClientOptions = () => ({ tlsOptions: { ca: vault.ca }, disableChallengeResourceVerification: true });

const onFake = (options: Partial<KeyVaultSecretsOptions> = {}) =>
  new KeyVaultSecrets({ vaultUrl: vault.url, credential: staticCredential().credential, clientOptions: fakeClientOptions(), ...options });

/** The requests the vault received while `action` ran. */
async function requestsDuring(action: () => Promise<unknown>) {
  const before = vault.requests.length;
  await action();
  return vault.requests.slice(before);
}

const failureOf = async (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => expect.unreachable('expected a failure'),
    (error: Error) => error,
  );

describeSecretsContract('KeyVaultSecrets on the fake vault', async () => onFake());

describe('KeyVaultSecrets on the fake vault', () => {
  it('authenticates by challenge: an unauthenticated probe gets 401, then the token for the named tenant and resource', async () => {
    const { credential, requests: tokenRequests } = staticCredential();
    const secrets = onFake({ credential });

    expect(await requestsDuring(() => secrets.get('conn-challenge'))).toEqual([
      { method: 'GET', path: '/secrets/conn-challenge/', status: 401, bearer: false },
      { method: 'GET', path: '/secrets/conn-challenge/', status: 404, bearer: true },
    ]);
    expect(tokenRequests).toEqual([{ scopes: ['https://vault.azure.net/.default'], tenantId: TENANT }]);
    // Later requests carry the token straight away.
    expect(await requestsDuring(() => secrets.set('conn-challenge', 'v'))).toEqual([
      { method: 'PUT', path: '/secrets/conn-challenge', status: 200, bearer: true },
    ]);
  });

  it('a token the vault does not accept fails with a 401 KeyVaultSecretsError', async () => {
    const secrets = onFake({ credential: staticCredential('someone-elses-token').credential });
    const error = await failureOf(secrets.get('conn-wrong-token'));
    expect(error).toBeInstanceOf(KeyVaultSecretsError);
    expect(error).toMatchObject({ operation: 'get', secretName: 'conn-wrong-token', statusCode: 401, code: 'Unauthorized' });
  });

  it('sends names mapped to valid Key Vault names (the fake rejects invalid ones as Key Vault does)', async () => {
    const secrets = onFake();
    const name = 'conn-tenant_1-Woo_Conn';
    const [, put] = await requestsDuring(() => secrets.set(name, 'v'));
    expect(put).toMatchObject({ method: 'PUT', path: `/secrets/${keyVaultSecretName(name)}`, status: 200 });
  });

  it('the fake keeps versions as Key Vault does: the SDK can read an older one', async () => {
    const client = new SecretClient(vault.url, staticCredential().credential, fakeClientOptions());
    const first = await client.setSecret('conn-versions', 'v1');
    await client.setSecret('CONN-versions', 'v2'); // names are case-insensitive
    expect((await client.getSecret('conn-versions')).value).toBe('v2');
    expect((await client.getSecret('conn-versions', { version: first.properties.version ?? '' })).value).toBe('v1');
  });

  describe('cache', () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const clock = { now: () => new Date(now) };

    it('serves a repeated get from memory within the TTL and asks the vault again after it', async () => {
      const writer = onFake();
      const reader = onFake({ clock, cacheTtlMs: 1000 });
      await writer.set('conn-cached', 'v1');
      expect(await reader.get('conn-cached')).toBe('v1');

      await writer.set('conn-cached', 'v2');
      now += 999;
      expect(await requestsDuring(async () => expect(await reader.get('conn-cached')).toBe('v1'))).toEqual([]);
      now += 1;
      expect(await requestsDuring(async () => expect(await reader.get('conn-cached')).toBe('v2'))).toEqual([
        { method: 'GET', path: '/secrets/conn-cached/', status: 200, bearer: true },
      ]);
    });

    it('a set updates the cache, so the rotated value is read back without a request', async () => {
      const secrets = onFake({ clock });
      await secrets.get('conn-rotated'); // authenticates, caches nothing (missing)
      await secrets.set('conn-rotated', 'refresh-1');
      await secrets.set('conn-rotated', 'refresh-2');
      expect(await requestsDuring(async () => expect(await secrets.get('conn-rotated')).toBe('refresh-2'))).toEqual([]);
    });

    it('concurrent gets of one name share one request', async () => {
      await onFake().set('conn-shared', 'v');
      const secrets = onFake({ clock });
      await secrets.get('conn-warm-up'); // the challenge round trip, so only the shared GET is left
      const requests = await requestsDuring(async () => {
        expect(await Promise.all([secrets.get('conn-shared'), secrets.get('conn-shared'), secrets.get('conn-shared')])).toEqual(['v', 'v', 'v']);
      });
      expect(requests).toHaveLength(1);
    });

    it('misses are not cached: a secret created elsewhere is seen at once', async () => {
      const reader = onFake({ clock });
      expect(await reader.get('conn-created-later')).toBeUndefined();
      await onFake().set('conn-created-later', 'new');
      expect(await reader.get('conn-created-later')).toBe('new');
    });
  });

  describe('values never leak', () => {
    const value = 'VALUE-7f3a-do-not-leak';
    // The fake cans only authenticated requests, so the challenge probe of a new client passes by.
    const echoingRejection = { status: 400, body: JSON.stringify({ error: { code: 'BadParameter', message: `Value ${value} is not allowed` } }) };
    const truncatedSecret = { status: 200, body: `{"value":"${value}"` }; // e.g. a connection cut mid-body
    const sdkClient = () => new SecretClient(vault.url, staticCredential().credential, fakeClientOptions());
    const expectNoValueIn = (error: Error) => {
      expect(error).toBeInstanceOf(KeyVaultSecretsError);
      for (const text of [error.message, error.stack, inspect(error, { showHidden: true, depth: 10 }), JSON.stringify(error)]) {
        expect(text).not.toContain(value);
      }
    };

    it('a failed set: the SDK error quotes what the server said, ours does not', async () => {
      vault.failNext(echoingRejection);
      expect((await failureOf(sdkClient().setSecret('conn-leak', value))).message).toContain(value);

      vault.failNext(echoingRejection);
      const error = await failureOf(onFake().set('conn-leak', value));
      expect(error).toMatchObject({ operation: 'set', secretName: 'conn-leak', statusCode: 400, code: 'BadParameter' });
      expectNoValueIn(error);
    });

    it('a get whose response cannot be parsed: the SDK error quotes the body, ours does not', async () => {
      vault.failNext(truncatedSecret);
      expect((await failureOf(sdkClient().getSecret('conn-leak'))).message).toContain(value);

      vault.failNext(truncatedSecret);
      const error = await failureOf(onFake().get('conn-leak'));
      expect(error).toMatchObject({ operation: 'get', statusCode: 200 });
      expectNoValueIn(error);
    });

    it('inspecting or serialising the adapter shows no cached value', async () => {
      const secrets = onFake();
      await secrets.set('conn-inspected', value);
      expect(await secrets.get('conn-inspected')).toBe(value);
      expect(inspect(secrets, { showHidden: true, depth: 10 })).not.toContain(value);
      expect(JSON.stringify({ secrets })).not.toContain(value);
    });
  });
});

const realVaultUrl = process.env.SHARDSYNC_TEST_KEY_VAULT_URL;
describe.skipIf(!realVaultUrl)('real Key Vault (SHARDSYNC_TEST_KEY_VAULT_URL)', () => {
  let credential: DefaultAzureCredential | undefined; // made on first use: nothing to build when skipped
  describeSecretsContract(`KeyVaultSecrets on ${realVaultUrl}`, async () => {
    credential ??= new DefaultAzureCredential();
    return new KeyVaultSecrets({ vaultUrl: realVaultUrl ?? '', credential });
  });
});
