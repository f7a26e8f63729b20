import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { LocalSecrets } from '../../../../shared/adapters/embedded/localSecrets.js';
import { ids } from '../../../../shared/core/ids.js';
import type { AuthRefusal } from '../../../../shared/core/schemas/execution.js';
import type { OAuthRefreshLease } from '../../../../shared/core/schemas/coordination/oauthRefreshLease.js';
import { AuthError } from '../../../../shared/connectors/authError.js';
import { bearerCall } from '../../../../shared/connectors/oauth/bearerCall.js';
import type { TokenEndpoint } from '../../../../shared/connectors/oauth/tokenEndpoint.js';
import type { Secrets } from '../../../../shared/ports/secrets.js';
import { secretsWithRedaction } from '../../../../shared/sync/security/secretsWithRedaction.js';
import { oauthTokenSource } from '../../../../shared/sync/oauth/oauthTokenSource.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import { startFakeOAuthServer, type FakeOAuthServer } from '../../../../dev/fakes/fakeOAuthServer.js';
import { embeddedDeps } from '../embeddedDeps.js';

const CLIENT = { clientId: 'client-1', clientSecret: 'client-secret-1' };
const connection = { tenantId: 't1', id: 'crm', secretRef: ids.secretForConnection('t1', 'crm') };
const where = { stage: 'fetch', stream: 'contacts' } as const;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A host: its own database connection to the shared store file, the shared Secrets (Key Vault is one service for every host), refusals recorded. */
function host(file: string, secrets: Secrets, refusals: AuthRefusal[]): SyncDeps {
  const db: SqliteDatabase = openDatabase(file);
  cleanups.push(() => db.close());
  const deps = embeddedDeps(db);
  return {
    ...deps,
    secrets: secretsWithRedaction(secrets, deps.redaction),
    credentialsEvents: {
      renewed: async () => {},
      refused: async (_deps, tenantId, connectionId, refusal) => {
        expect({ tenantId, connectionId }).toEqual({ tenantId: 't1', connectionId: 'crm' });
        refusals.push(refusal);
      },
    },
  };
}

async function setUp(options: { accessTokenSeconds: number }) {
  const fake = await startFakeOAuthServer({ ...CLIENT, ...options });
  cleanups.push(() => fake.close());
  const dir = mkdtempSync(join(tmpdir(), 'oauth-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const secrets = new LocalSecrets();
  const refusals: AuthRefusal[] = [];
  const hosts = [host(join(dir, 'shardsync.db'), secrets, refusals), host(join(dir, 'shardsync.db'), secrets, refusals)];
  const endpoint: TokenEndpoint = { url: fake.tokenUrl, grant: 'refresh_token', clientAuthentication: 'basic' };
  return { fake, secrets, refusals, hosts, endpoint };
}

/** A provider call as a connector makes it: 401 is an AuthError. */
const callResource = (fake: FakeOAuthServer) => async (accessToken: string) => {
  const response = await request(fake.resourceUrl, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.body.dump();
  if (response.statusCode === 401) throw new AuthError({ status: 401, code: 'invalid_token', message: 'access token refused' });
  return response.statusCode;
};

const stored = async (secrets: Secrets) => JSON.parse((await secrets.get(connection.secretRef)) as string) as Record<string, unknown>;

describe('OAuth token source', () => {
  it('2 hosts × 4 workers against rotating single-use refresh tokens: every call authorized, no refused refresh, no token lost', async () => {
    const { fake, secrets, refusals, hosts, endpoint } = await setUp({ accessTokenSeconds: 1 });
    await secrets.set(connection.secretRef, JSON.stringify({ ...CLIENT, refreshToken: fake.issueRefreshToken() }));
    const workers = hosts.flatMap((deps) => Array.from({ length: 4 }, () => oauthTokenSource(deps, connection, endpoint, { marginMs: 200, where })));
    expect(workers).toHaveLength(8);

    const statuses: number[] = [];
    const until = Date.now() + 5_000;
    await Promise.all(
      workers.map(async (tokens) => {
        while (Date.now() < until) {
          statuses.push(await bearerCall(tokens, callResource(fake)));
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }),
    );

    expect(statuses.length).toBeGreaterThan(100);
    expect(statuses.every((status) => status === 200)).toBe(true);
    // Tokens lasted a second over five: refreshed again and again, each refresh token spent once.
    expect(fake.counts.refreshes).toBeGreaterThanOrEqual(4);
    expect(fake.counts).toMatchObject({ refusedGrants: 0, revokedFamilies: 0 });
    expect(refusals).toEqual([]);
    // The newest refresh token is the one saved: the next refresh, by anyone, works.
    expect((await stored(secrets)).refreshToken).toBe(fake.liveRefreshToken());
  }, 20_000);

  it('one token source shared by a host\'s concurrent calls (as connectorFor shares it) spends each refresh token once', async () => {
    const { fake, secrets, refusals, hosts, endpoint } = await setUp({ accessTokenSeconds: 1 });
    await secrets.set(connection.secretRef, JSON.stringify({ ...CLIENT, refreshToken: fake.issueRefreshToken() }));
    const shared = hosts.map((deps) => oauthTokenSource(deps, connection, endpoint, { where }));
    const callers = shared.flatMap((tokens) => Array.from({ length: 4 }, () => tokens));
    expect(callers).toHaveLength(8);

    const statuses: number[] = [];
    const until = Date.now() + 3_000;
    await Promise.all(
      callers.map(async (tokens) => {
        while (Date.now() < until) {
          statuses.push(await bearerCall(tokens, callResource(fake)));
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }),
    );

    expect(statuses.length).toBeGreaterThan(50);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(fake.counts.refreshes).toBeGreaterThanOrEqual(2);
    expect(fake.counts).toMatchObject({ refusedGrants: 0, revokedFamilies: 0 });
    expect(refusals).toEqual([]);
    expect((await stored(secrets)).refreshToken).toBe(fake.liveRefreshToken());
  }, 20_000);

  it('refreshes once on a 401 even when every worker of a host is told 401 at once', async () => {
    const { fake, secrets, hosts, endpoint } = await setUp({ accessTokenSeconds: 3600 });
    await secrets.set(connection.secretRef, JSON.stringify({ ...CLIENT, refreshToken: fake.issueRefreshToken(), accessToken: 'revoked-early' }));
    const workers = Array.from({ length: 4 }, () => oauthTokenSource(hosts[0] as SyncDeps, connection, endpoint, { where }));

    const statuses = await Promise.all(workers.map((tokens) => bearerCall(tokens, callResource(fake))));

    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(fake.counts.refreshes).toBe(1);
    expect(fake.counts.unauthorizedCalls).toBe(4);
  });

  it('takes over from a refresher that died holding the lease, once the lease expired', async () => {
    const { fake, secrets, hosts, endpoint } = await setUp({ accessTokenSeconds: 3600 });
    const deps = hosts[0] as SyncDeps;
    await secrets.set(connection.secretRef, JSON.stringify({ ...CLIENT, refreshToken: fake.issueRefreshToken() }));
    const dead: OAuthRefreshLease = { id: ids.oauthRefreshLease('crm'), tenantId: 't1', kind: 'oauth_refresh_lease', holder: 'crashed', expiresAtMs: Date.now() - 1, ttl: 60 };
    await deps.store.create('coordination', dead);

    const token = await oauthTokenSource(deps, connection, endpoint, { where }).accessToken();

    expect(await callResource(fake)(token)).toBe(200);
    expect(await deps.store.read('coordination', 't1', dead.id)).toBeUndefined();
  });

  it('gets and reuses a client_credentials token, saved for the other workers', async () => {
    const { fake, secrets, hosts, endpoint } = await setUp({ accessTokenSeconds: 3600 });
    await secrets.set(connection.secretRef, JSON.stringify(CLIENT));
    const grant: TokenEndpoint = { ...endpoint, grant: 'client_credentials', clientAuthentication: 'body' };

    const first = await oauthTokenSource(hosts[0] as SyncDeps, connection, grant, { where }).accessToken();
    const second = await oauthTokenSource(hosts[1] as SyncDeps, connection, grant, { where }).accessToken();

    expect(second).toBe(first);
    expect(fake.counts.clientCredentials).toBe(1);
    expect(await stored(secrets)).toMatchObject({ accessToken: first });
  });

  it('reports a refused refresh through CredentialsEvents.refused with the provider message, redacted', async () => {
    const { fake, secrets, refusals, hosts, endpoint } = await setUp({ accessTokenSeconds: 3600 });
    const refreshToken = fake.issueRefreshToken();
    await secrets.set(connection.secretRef, JSON.stringify({ ...CLIENT, refreshToken }));
    fake.revokeAll();

    const error = await oauthTokenSource(hosts[0] as SyncDeps, connection, endpoint, { where }).accessToken().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AuthError);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ stage: 'fetch', stream: 'contacts', errorClass: 'AuthError', httpStatus: 400, code: 'invalid_grant' });
    expect(refusals[0]?.message).toContain('The refresh token is invalid, expired or revoked');
    expect(JSON.stringify(refusals)).not.toContain(refreshToken);
    expect(JSON.stringify(refusals)).not.toContain(CLIENT.clientSecret);
  });

  it('reports a refused client (401 invalid_client) the same way', async () => {
    const { fake, secrets, refusals, hosts, endpoint } = await setUp({ accessTokenSeconds: 3600 });
    await secrets.set(connection.secretRef, JSON.stringify({ ...CLIENT, clientSecret: 'wrong', refreshToken: fake.issueRefreshToken() }));

    await expect(oauthTokenSource(hosts[0] as SyncDeps, connection, endpoint, { where }).accessToken()).rejects.toBeInstanceOf(AuthError);

    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ httpStatus: 401, code: 'invalid_client' });
  });
});
