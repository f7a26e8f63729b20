import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../dev/adminClient.js';
import { startFakeOAuthServer, type FakeOAuthServer } from '../../dev/fakes/fakeOAuthServer.js';
import { startFakeRestApi, type FakeRestApi } from '../../dev/fakes/restApi/fakeRestApi.js';
import { ids } from '../../shared/core/ids.js';
import { apiClient } from './apiClient.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

const WORKERS_PER_HOST = 4;
const CLIENT = { clientId: 'rotation-client', clientSecret: 'rotation-client-secret' };
const TOKEN_SECONDS = 2;
/**
 * Eight streams, each read page after page (cursor paging): up to eight fetches in flight at once,
 * spread over both hosts, all asking for the one connection's token.
 */
const STREAMS = ['contacts', 'companies', 'deals', 'leads', 'tickets', 'notes', 'tasks', 'calls'];
const PER_STREAM = 375;
const RECORDS = STREAMS.length * PER_STREAM;
const BATCH_SIZE = 20;
/** 3,000 records in pages of 20 are 150+ calls: at this rate the run lasts several token lifetimes. */
const REQUESTS_PER_MINUTE = 720;

/** A generic-rest spec for the fake REST API, its tokens from the fake OAuth server. */
const spec = (apiUrl: string, tokenUrl: string) => ({
  title: 'Rotating CRM',
  baseUrl: `${apiUrl}/v1/`,
  auth: { kind: 'oauth2', grant: 'refresh_token', tokenUrl, clientAuthentication: 'basic' },
  maxPageSize: 100,
  streams: STREAMS.map((name) => ({
    name,
    path: name,
    recordsPath: 'data',
    modifiedField: 'updated_at',
    paginator: { kind: 'cursor', cursorParam: 'cursor', sizeParam: 'limit', nextCursorPath: 'next_cursor' },
  })),
});

/**
 * Two host processes, four workers each, share one data directory (one store, one set of queues,
 * one Secrets file) and read one OAuth 2 connection whose access tokens live two seconds, at a server whose refresh
 * tokens rotate and are single-use (a reused one revokes the family). The hosts must hand each
 * other every rotated refresh token: one lost or spent twice ends the run.
 */
describe('OAuth rotation across two host processes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shardsync-oauth-rotation-'));
  const hosts: HostProcess[] = [];
  let oauth: FakeOAuthServer | undefined;
  let rest: FakeRestApi | undefined;
  afterAll(async () => {
    for (const host of hosts) await host.stop();
    await rest?.close();
    await oauth?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The connection's credentials as the hosts keep them (the local Secrets file of the shared data directory). */
  const storedCredentials = () => {
    const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>;
    return JSON.parse(secrets[ids.secretForConnection('rot', 'crm')] ?? '{}') as { refreshToken?: string };
  };

  /** Waits for the run to end; a pause (refused credentials) ends the wait too, as a failure. */
  const finished = async (api: AdminClient, executionId: string) => {
    for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
      const view = await api.ok('GET', `tenants/rot/executions/${executionId}`);
      if (['success', 'partial', 'failed', 'cancelled', 'paused'].includes(view.status)) return view;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`execution ${executionId} did not finish within 90 s`);
  };

  it('every provider call is authorized, no refresh is refused and the live refresh token is the stored one', async () => {
    const fakeOAuth = await startFakeOAuthServer({ ...CLIENT, accessTokenSeconds: TOKEN_SECONDS, rotateRefreshTokens: true });
    oauth = fakeOAuth;
    const api_ = await startFakeRestApi({ collections: STREAMS, auth: { verifyBearer: fakeOAuth.isLiveAccessToken } });
    rest = api_;
    for (const stream of STREAMS) api_.seed(stream, PER_STREAM);

    // Four workers per host, set as on Azure: an app setting over host.json.
    const env = { SHARDSYNC_DATA_DIR: dataDir, AzureFunctionsJobHost__extensions__serviceBus__maxConcurrentCalls: String(WORKERS_PER_HOST) };
    hosts.push(await startHostProcess(env));
    hosts.push(await startHostProcess(env));
    const [a, b] = hosts.map((host) => apiClient(host.url, host.adminKey)) as [AdminClient, AdminClient];

    await a.ok('PUT', 'tenants/rot', { name: 'OAuth rotation' });
    const saved = await a.ok('PUT', 'tenants/rot/connections/crm', {
      provider: 'generic-rest',
      settings: { spec: spec(api_.url, fakeOAuth.tokenUrl) },
      credentials: { ...CLIENT, refreshToken: fakeOAuth.issueRefreshToken() },
      protection: { requestsPerMinute: REQUESTS_PER_MINUTE },
    });
    expect(saved.connectionTest).toMatchObject({ ok: true });
    await a.ok('PUT', 'tenants/rot/schemas/records', {
      shardType: 'crm_record',
      fields: [
        { from: 'id', to: 'externalId' },
        { from: 'name', to: 'name' },
        { from: 'email', to: 'email' },
        { from: 'updated_at', to: 'sourceModifiedAt' },
      ],
      validations: [{ path: 'email', rule: 'required' }],
    });
    await a.ok('PUT', 'tenants/rot/tasks/all', {
      connectionId: 'crm',
      streams: STREAMS.map((stream) => ({ stream, schemaId: 'records' })),
      defaults: { batchSize: BATCH_SIZE },
    });
    const before = { ...fakeOAuth.counts };
    const callsBefore = api_.requests.length;

    const started = Date.now();
    const { executionId } = await a.ok('POST', 'tenants/rot/tasks/all/executions', { mode: 'full' });
    const view = await finished(b, executionId);
    const durationMs = Date.now() - started;

    expect(view).toMatchObject({ status: 'success', counts: { fetched: RECORDS, created: RECORDS, failed: 0 } });
    const calls = api_.requests.slice(callsBefore);
    const unauthorized = calls.filter((call) => call.status === 401);
    const refreshes = fakeOAuth.counts.refreshes - before.refreshes;
    console.info(
      `OAuth rotation: ${RECORDS} records in ${durationMs} ms, ${calls.length} provider calls (${unauthorized.length} answered 401), ${refreshes} refreshes of ${TOKEN_SECONDS} s tokens`,
    );
    expect(calls.length).toBeGreaterThanOrEqual(RECORDS / BATCH_SIZE);
    expect(fakeOAuth.counts).toMatchObject({ refusedGrants: 0, revokedFamilies: 0 });
    // The tokens really expired and were replaced again and again during the run.
    expect(durationMs).toBeGreaterThan(3 * TOKEN_SECONDS * 1000);
    expect(refreshes).toBeGreaterThanOrEqual(Math.floor(durationMs / (TOKEN_SECONDS * 1000)) - 1);
    expect(unauthorized).toEqual([]);
    expect(fakeOAuth.counts.unauthorizedCalls).toBe(0);
    for (const host of hosts) expect(host.output()).not.toContain('ERROR');

    // The family's live refresh token is the one the hosts kept: the next run works as well.
    expect(fakeOAuth.liveRefreshToken()).toBeDefined();
    expect(storedCredentials().refreshToken).toBe(fakeOAuth.liveRefreshToken());
    const second = await b.ok('POST', 'tenants/rot/tasks/all/executions', { mode: 'full' });
    expect(await finished(a, second.executionId)).toMatchObject({ status: 'success', counts: { fetched: RECORDS, unchanged: RECORDS, failed: 0 } });
    expect(fakeOAuth.counts).toMatchObject({ refusedGrants: 0, revokedFamilies: 0, unauthorizedCalls: 0 });
    expect(storedCredentials().refreshToken).toBe(fakeOAuth.liveRefreshToken());
  }, 240_000);
});
