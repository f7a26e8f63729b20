import { afterAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeStream, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { DEMO_CONNECTION, DEMO_CREDENTIALS, DEMO_SCHEMAS, DEMO_TASK, DEMO_TENANT, demoCounts, ensureDemoResources } from '../../dev/demoSetup.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

const RECORDS = 1_000;
const BATCH_SIZE = 20; // 25 + 10 + 15 = 50 pages
const FAILURE_RATE = 0.2;
const KINDS = ['server_error', 'timeout', 'truncated_json'] as const;
/**
 * Fault plans are a function of (seed, request number) alone. With this seed every prefix of 50
 * to 90 requests fails 17–26% of the time, each kind at least twice in the first 40 requests,
 * and never more than two requests in a row: the test is about retries, not the circuit breaker
 * (5 failures in a row would open it for 30 s).
 */
const FAULT_SEED = 13;

/** Every shard of one type, through the API's paging. */
async function listShards(api: AdminClient, type: string): Promise<Array<{ id: string; externalRelationships: Array<{ externalId: string; connectionId: string; stream: string }> }>> {
  const shards = [];
  let token: string | undefined;
  do {
    const page = await api.ok('GET', `tenants/${DEMO_TENANT}/shards?type=${type}&limit=200${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`);
    shards.push(...page.items);
    token = page.continuationToken;
  } while (token);
  return shards;
}

describe('fault injection: a flaky provider', () => {
  let host: HostProcess | undefined;
  let fake: FakeWooCommerce | undefined;
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  it('a full sync through 20% random 500s, timeouts and truncated JSON ends success with exact counts', async () => {
    const started = Date.now();
    const counts = demoCounts(RECORDS);
    fake = await startFakeWooCommerce({ seed: 21, counts, ...DEMO_CREDENTIALS, faults: { failureRate: FAILURE_RATE, seed: FAULT_SEED, kinds: KINDS } });
    host = await startHostProcess({ SHARDSYNC_LOCK_DURATION_MS: '3000', SHARDSYNC_LOG_LEVEL: 'warn' });
    const api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, fake.url);
    // Short client timeouts, so a held request fails fast.
    await api.ok('PUT', `tenants/${DEMO_TENANT}/connections/${DEMO_CONNECTION}`, {
      provider: 'woocommerce',
      settings: { baseUrl: fake.url, timeoutMs: 500 },
    });

    const { executionId } = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}/executions`, { batchSize: BATCH_SIZE, maxRetries: 10 });
    const view = await api.waitForExecution(DEMO_TENANT, executionId, { timeoutMs: 50_000, intervalMs: 100 });
    const syncMs = Date.now() - started;

    const diagnostics = () => JSON.stringify({ status: view.status, counts: view.counts, lastErrors: view.lastErrors, syncMs }, null, 1);
    expect(view.status, diagnostics()).toBe('success');
    expect(view.counts).toMatchObject({ fetched: RECORDS, created: RECORDS, updated: 0, unchanged: 0, skipped: 0, failed: 0, conflicts: 0 });
    for (const stream of Object.keys(DEMO_SCHEMAS) as FakeStream[]) {
      expect(view.streams[stream], stream).toMatchObject({ counts: { fetched: counts[stream], created: counts[stream] } });
      expect(view.streams[stream].pagesDone).toBe(view.streams[stream].pagesTotal);
    }

    // Every source record is exactly one shard, and nothing else is.
    for (const [stream, schema] of Object.entries(DEMO_SCHEMAS) as Array<[FakeStream, (typeof DEMO_SCHEMAS)[FakeStream]]>) {
      const shards = await listShards(api, schema.shardType);
      const externalIds = shards.map((shard) => {
        const relations = shard.externalRelationships.filter((relation) => relation.connectionId === DEMO_CONNECTION && relation.stream === stream);
        expect(relations, shard.id).toHaveLength(1);
        return relations[0]!.externalId;
      });
      const sourceIds = Array.from({ length: counts[stream] }, (_, index) => index + 1)
        .filter((id) => fake!.getRecord(stream, id) !== undefined)
        .map(String);
      expect(new Set(externalIds).size, `${stream}: duplicate shards`).toBe(externalIds.length);
      expect([...externalIds].sort(), stream).toEqual([...sourceIds].sort());
    }

    // Failures did happen, of every kind, at about the configured rate.
    const log = fake.requestLog;
    const failed = log.filter((entry) => entry.fault !== undefined);
    const byKind = Object.fromEntries(KINDS.map((kind) => [kind, failed.filter((entry) => entry.fault === kind).length]));
    const retries = host.output().match(/page fetch failed; retrying later/g)?.length ?? 0;
    const circuitOpen = host.output().match(/CircuitOpenError/g)?.length ?? 0;
    const summary = JSON.stringify({ requests: log.length, failed: failed.length, byKind, retries, circuitOpen, syncMs });
    console.log(`fault injection: ${summary}`);
    expect(failed.length / log.length, summary).toBeGreaterThanOrEqual(0.1);
    for (const kind of KINDS) expect(byKind[kind], `${kind}: ${summary}`).toBeGreaterThan(0);
    // The answers were what the faults say: timeouts never answered, truncations a 200.
    for (const entry of failed) {
      expect(entry.status).toBe({ server_error: 500, timeout: 0, truncated_json: 200 }[entry.fault as (typeof KINDS)[number]]);
    }
    // Page fetches were retried by rescheduling their messages.
    expect(host.output()).toContain('page fetch failed; retrying later');
  }, 60_000);
});
