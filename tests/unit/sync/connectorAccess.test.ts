import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectorFor } from '../../../shared/sync/connectorAccess.js';
import { ProviderRegistry } from '../../../shared/connectors/providerRegistry.js';
import type { ProviderDefinition } from '../../../shared/connectors/providerDefinition.js';
import { wooCommerceProvider } from '../../../shared/connectors/woocommerce/wooCommerceProvider.js';
import type { Connector } from '../../../shared/connectors/connector.js';
import type { Connection } from '../../../shared/core/schemas/connection.js';
import type { SyncDeps } from '../../../shared/sync/syncDeps.js';
import { createSyncCaches } from '../../../shared/sync/syncCaches.js';
import { LocalSecrets } from '../../../shared/adapters/embedded/localSecrets.js';
import { CredentialsMissingError } from '../../../shared/sync/credentialsMissingError.js';
import { SecretRedaction } from '../../../shared/sync/security/secretRedaction.js';
import { secretsWithRedaction } from '../../../shared/sync/security/secretsWithRedaction.js';
import { AuthError } from '../../../shared/connectors/authError.js';
import { loopbackOutbound } from './loopbackOutbound.js';

/** A registry of one provider whose connectors `create` makes. */
const registryOf = (create: ProviderDefinition['create']) =>
  new ProviderRegistry([{ ...wooCommerceProvider, settingsSchema: z.object({}), credentialsSchema: () => z.object({}), streams: () => [], urls: () => [], create }]);

/** A provider whose connectors only record that they were built and closed. */
function countingProvider() {
  const built: Array<{ credentials: unknown; closed: boolean }> = [];
  const registry = registryOf((_settings, credentials): Connector => {
    const entry = { credentials, closed: false };
    built.push(entry);
    return {
      provider: 'woocommerce',
      streams: () => [],
      listPage: async () => ({ records: [], page: 1, totalPages: 0, totalRecords: 0 }),
      testConnection: async () => {},
      close: async () => {
        entry.closed = true;
      },
    };
  });
  return { built, registry };
}

const connection = (id: string, updatedAt: string): Connection => ({
  id,
  tenantId: 't-access',
  provider: 'woocommerce',
  name: id,
  settings: {},
  secretRef: `conn-t-access-${id}`,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt,
});

async function depsWith(registry: ProviderRegistry, caches = createSyncCaches()): Promise<SyncDeps> {
  const redaction = new SecretRedaction();
  const secrets = secretsWithRedaction(new LocalSecrets(), redaction);
  await secrets.set('conn-t-access-a', JSON.stringify({ key: 'k1' }));
  await secrets.set('conn-t-access-b', JSON.stringify({ key: 'k2' }));
  return { secrets, providers: registry, redaction, caches, outbound: loopbackOutbound() } as unknown as SyncDeps;
}

describe('connector access', () => {
  it('concurrent pages of one connection share one connector and none is closed under them', async () => {
    const { built, registry } = countingProvider();
    const deps = await depsWith(registry);
    const v1 = connection('a', '2026-01-01T00:00:00.000Z');
    const connectors = await Promise.all([connectorFor(deps, v1), connectorFor(deps, v1), connectorFor(deps, v1)]);
    expect(new Set(connectors).size).toBe(1);
    expect(built).toEqual([{ credentials: { key: 'k1' }, closed: false }]);
  });

  it('an updated connection gets a new connector and the old one is closed', async () => {
    const { built, registry } = countingProvider();
    const deps = await depsWith(registry);
    const first = await connectorFor(deps, connection('b', '2026-01-01T00:00:00.000Z'));
    const second = await connectorFor(deps, connection('b', '2026-02-01T00:00:00.000Z'));
    expect(second).not.toBe(first);
    await new Promise((resolve) => setImmediate(resolve));
    expect(built.map((b) => b.closed)).toEqual([true, false]);
  });

  it('a process keeps a bounded number of connectors: the least recently used is dropped and closed', async () => {
    const { built, registry } = countingProvider();
    const deps = await depsWith(registry, createSyncCaches({ connectors: 1 }));
    const a = connection('a', '2026-01-01T00:00:00.000Z');
    const first = await connectorFor(deps, a);
    await connectorFor(deps, connection('b', '2026-01-01T00:00:00.000Z'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(built.map((b) => b.closed)).toEqual([true, false]);
    // Asked for again, it is built again.
    expect(await connectorFor(deps, a)).not.toBe(first);
    expect(built).toHaveLength(3);
  });

  it('a connection whose secret is gone fails with CredentialsMissingError and is not cached', async () => {
    const { registry } = countingProvider();
    const deps = await depsWith(registry);
    await expect(connectorFor(deps, connection('gone', '2026-01-01T00:00:00.000Z'))).rejects.toBeInstanceOf(CredentialsMissingError);
    await deps.secrets.set('conn-t-access-gone', JSON.stringify({ key: 'k3' }));
    await expect(connectorFor(deps, connection('gone', '2026-01-01T00:00:00.000Z'))).resolves.toBeDefined();
  });

  it('errors a connector throws reach the caller with the connection’s credentials redacted and their class kept', async () => {
    const secret = 'cs_boundary_secret_9f8e7d';
    const registry = registryOf((): Connector => ({
      provider: 'woocommerce',
      streams: () => [],
      testConnection: async () => {},
      listPage: async () => {
        throw new AuthError({ status: 401, code: 'echo', message: `refused ${secret.toUpperCase()} (Basic ${Buffer.from(`ck:${secret}`).toString('base64')})` });
      },
    }));
    const deps = await depsWith(registry);
    await deps.secrets.set('conn-t-access-echo', JSON.stringify({ key: secret }));
    const connector = await connectorFor(deps, connection('echo', '2026-01-01T00:00:00.000Z'));
    const error = await connector.listPage({ stream: 'customers', page: 1, perPage: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 401, code: 'echo', message: 'refused [redacted] (Basic [redacted])' });
    expect(String((error as Error).stack)).not.toContain(secret.toUpperCase());
    expect(deps.redaction.redact(secret)).toBe('[redacted]');
  });

  it('stored credentials that are not JSON are missing credentials, and the error does not quote them', async () => {
    const { registry } = countingProvider();
    const deps = await depsWith(registry);
    await deps.secrets.set('conn-t-access-broken', 'cs_not_json_secret');
    const error = await connectorFor(deps, connection('broken', '2026-01-01T00:00:00.000Z')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsMissingError);
    expect(String((error as Error).stack)).not.toContain('cs_not');
  });
});
