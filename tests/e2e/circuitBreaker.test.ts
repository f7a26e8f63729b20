import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import { apiClient } from './apiClient.js';
import { DEMO_CONNECTION, DEMO_CREDENTIALS, DEMO_SCHEMAS, DEMO_TASK, DEMO_TENANT, demoCounts, ensureDemoResources } from '../../dev/demoSetup.js';
import { openDatabase, type SqliteDatabase } from '../../shared/adapters/embedded/sqliteDatabase.js';
import { SqliteStore } from '../../shared/adapters/embedded/sqliteStore.js';
import { systemClock } from '../../shared/ports/clock.js';
import { getProviderState } from '../../shared/sync/operations/providerGuard.js';
import type { ProviderStateView } from '../../shared/core/schemas/answers/providerState.js';
import type { SyncDeps } from '../../shared/sync/syncDeps.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

const RECORDS = 300;
const BATCH_SIZE = 20; // 8 + 3 + 5 pages
/** A short cool-down keeps the test quick; the default (5 failures, 30 s) would take a minute. */
const CIRCUIT = { failureThreshold: 3, coolDownMs: 2_000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value (not undefined), or fails naming `what`. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

describe('circuit breaker: a provider down for a while', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shardsync-circuit-'));
  let host: HostProcess | undefined;
  let fake: FakeWooCommerce | undefined;
  let db: SqliteDatabase | undefined;
  afterAll(async () => {
    db?.close();
    await host?.stop();
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('retries by rescheduling, opens the circuit, and finishes with exact counts once the provider is back', async () => {
    const started = Date.now();
    const counts = demoCounts(RECORDS);
    // Down until the test says otherwise (after it has seen the circuit open, and re-open after a failed probe).
    let upAt = Number.POSITIVE_INFINITY;
    fake = await startFakeWooCommerce({ seed: 8, counts, ...DEMO_CREDENTIALS, faults: { downUntil: () => upAt } });
    // A data file rather than :memory:, so the test can also read the circuit straight from the store.
    host = await startHostProcess({ SHARDSYNC_DATA_DIR: dataDir, SHARDSYNC_LOCK_DURATION_MS: '3000' });
    const api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, fake.url);
    await api.ok('PUT', `tenants/${DEMO_TENANT}/connections/${DEMO_CONNECTION}`, {
      provider: 'woocommerce',
      settings: { baseUrl: fake.url, timeoutMs: 1_000 },
      protection: { circuit: CIRCUIT },
    });
    db = openDatabase(join(dataDir, 'shardsync.db'));
    const deps = { store: new SqliteStore(db, systemClock), clock: systemClock } as unknown as SyncDeps;
    const storeState = () => getProviderState(deps, DEMO_TENANT, DEMO_CONNECTION);
    const apiState = async (): Promise<ProviderStateView | undefined> =>
      (await api.ok('GET', `tenants/${DEMO_TENANT}/connections/${DEMO_CONNECTION}`)).providerState;

    const { executionId } = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}/executions`, { batchSize: BATCH_SIZE, maxRetries: 10 });
    const execution = () => api.ok('GET', `tenants/${DEMO_TENANT}/executions/${executionId}`);

    // Consecutive failures open the circuit; the store and the API both show it.
    const opened = await until('the circuit to open', async () => {
      const state = await storeState();
      return state.circuit.state === 'open' ? state : undefined;
    }, 15_000);
    expect(opened.circuit).toMatchObject({ state: 'open', openedAt: expect.any(String), retryAt: expect.any(String) });
    expect(opened.circuit.consecutiveFailures).toBeGreaterThanOrEqual(CIRCUIT.failureThreshold);
    const retryInMs = Date.parse(opened.circuit.retryAt!) - Date.parse(opened.circuit.openedAt!);
    expect(retryInMs).toBeLessThanOrEqual(CIRCUIT.coolDownMs);
    const viaApi = await apiState();
    expect(viaApi, 'GET connection has no providerState').toBeDefined();
    expect(viaApi!.circuit).toMatchObject({ openedAt: opened.circuit.openedAt });
    expect(['open', 'half_open']).toContain(viaApi!.circuit.state);

    // The execution keeps going: pages wait as scheduled messages, refused by the open circuit
    // rather than sent to the provider.
    await until('a page refused by the open circuit', async () =>
      /page deferred by the provider guard .*"reason":"CircuitOpenError"/.test(host!.output()) ? true : undefined, 10_000);
    // After the cool-down one probe goes through; the provider is still down, so it opens again.
    const reopened = await until('a failed probe to re-open the circuit', async () => {
      const state = await storeState();
      return state.circuit.state === 'open' && state.circuit.retryAt !== opened.circuit.retryAt ? state : undefined;
    }, 10_000);
    expect(Date.parse(reopened.circuit.retryAt!)).toBeGreaterThan(Date.parse(opened.circuit.retryAt!));
    const during = await execution();
    expect(during.status).toBe('running');
    expect(during.counts.fetched).toBe(0);
    expect(host.output()).toMatch(/page fetch failed; retrying later .*"error":"ProviderUnavailableError"/);

    // The provider comes back: the next probe closes the circuit and the run completes, exactly.
    upAt = Date.now();
    const downRequests = fake.requestLog.filter((entry) => entry.fault === 'down');
    const outageMs = upAt - started;
    const view = await api.waitForExecution(DEMO_TENANT, executionId, { timeoutMs: 35_000, intervalMs: 100 });
    const totalMs = Date.now() - started;
    const attempts = [...host.output().matchAll(/retrying later .*"attempt":(\d+),"delayMs":(\d+)/g)].map((match) => [Number(match[1]), Number(match[2])]);
    const summary = JSON.stringify({ maxAttempt: Math.max(...attempts.map(([attempt]) => attempt!)), maxDelayMs: Math.max(...attempts.map(([, delay]) => delay!)), outageMs, recoveryMs: totalMs - outageMs, totalMs, downRequests: downRequests.length, requests: fake.requestLog.length, status: view.status, lastErrors: view.lastErrors });
    console.log(`circuit breaker: ${summary}`);

    expect(view.status, summary).toBe('success');
    expect(view.counts).toMatchObject({ fetched: RECORDS, created: RECORDS, updated: 0, unchanged: 0, skipped: 0, failed: 0, conflicts: 0 });
    for (const [stream, schema] of Object.entries(DEMO_SCHEMAS)) {
      const expected = counts[stream as keyof typeof counts];
      const page = await api.ok('GET', `tenants/${DEMO_TENANT}/shards?type=${schema.shardType}&limit=1000`);
      expect(page.items, stream).toHaveLength(expected);
      expect(page.continuationToken).toBeUndefined();
    }
    expect((await storeState()).circuit).toEqual({ state: 'closed', consecutiveFailures: 0 });
    expect((await apiState())!.circuit).toEqual({ state: 'closed', consecutiveFailures: 0 });

    // Every 503 came during the outage, and the outage was met with few calls: the circuit held
    // the pages back instead of hammering the provider.
    expect(downRequests.length).toBeGreaterThanOrEqual(CIRCUIT.failureThreshold);
    expect(downRequests.every((entry) => entry.at < upAt)).toBe(true);
    const afterOutage = fake.requestLog.filter((entry) => entry.at >= upAt);
    expect(afterOutage.length).toBeGreaterThan(0);
    expect(afterOutage.every((entry) => entry.status === 200)).toBe(true);
    expect(downRequests.length).toBeLessThan(20);
  }, 60_000);
});
