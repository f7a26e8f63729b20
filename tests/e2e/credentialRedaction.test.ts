import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import { createSelfSignedCertificate } from '../../dev/fakes/selfSignedCertificate.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { DEMO_SCHEMAS } from '../../dev/demoSetup.js';
import { echoedForms, formsIn } from '../unit/core/security/echoedForms.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

/**
 * Issue 16: a store that echoes the credentials it received in its error bodies (raw, URL-encoded,
 * the Basic header, a Bearer token, upper-cased) must leave no trace of them in any API response,
 * alert or log line of the real host. Over HTTPS when openssl can make a certificate, so the
 * Basic header really travels and comes back verbatim; else over HTTP, OAuth-signed.
 */
const TENANT = 'echo';
const credentials = { consumerKey: 'ck_7e3a9c1d5b2f4e6a8c0d2b4f6a8e0c2d4b6f8a0e', consumerSecret: 'cs_1f3b5d7a9c2e4f6b8d0a2c4e6f8b0d2a4c6e8f0b' };
const webhookSecret = 'whsec_echo_webhook_6d1c9a4b';
const alertSigningSecret = 'alrt_echo_signing_3e8f2b7c5a';

/** Every form of every secret the host holds for this tenant. */
const forms = [
  ...echoedForms(credentials.consumerKey, credentials.consumerSecret),
  ...echoedForms(webhookSecret, alertSigningSecret).filter(({ form }) => !form.startsWith('Basic')),
];

/** Collects what the tenant's alert URL receives. */
async function startAlertReceiver(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('credentials a provider echoes back', () => {
  const certificate = createSelfSignedCertificate();
  let host: HostProcess;
  let fake: FakeWooCommerce;
  let receiver: Awaited<ReturnType<typeof startAlertReceiver>>;
  let api: AdminClient;

  beforeAll(async () => {
    receiver = await startAlertReceiver();
    fake = await startFakeWooCommerce({ seed: 7, counts: { customers: 6, products: 0, orders: 0 }, ...credentials, ...(certificate ? { https: certificate } : {}) });
    host = await startHostProcess({ SHARDSYNC_LOG_LEVEL: 'debug' });
    api = apiClient(host.url, host.adminKey);
    await api.ok('PUT', `tenants/${TENANT}`, { name: 'Echo', settings: { alerts: { url: receiver.url, format: 'json' }, alertSigningSecret } });
    await api.ok('PUT', `tenants/${TENANT}/connections/shop`, {
      provider: 'woocommerce',
      settings: { baseUrl: fake.url, ...(certificate ? { caCertificate: certificate.cert } : {}) },
      credentials,
      webhookSecret,
    });
    await api.ok('PUT', `tenants/${TENANT}/schemas/customers`, DEMO_SCHEMAS.customers);
    await api.ok('PUT', `tenants/${TENANT}/tasks/inbound`, { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'customers' }] });
    await api.ok('PUT', `tenants/${TENANT}/tasks/both-ways`, { connectionId: 'shop', direction: 'bidirectional', streams: [{ stream: 'customers', schemaId: 'customers' }] });
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
    await receiver?.close();
  });

  it('leave no trace in any view, alert or log line, while failures, errors and conflicts keep the provider’s words', async () => {
    // A clean bidirectional run first, so there are shards to write back.
    const clean = await api.ok('POST', `tenants/${TENANT}/tasks/both-ways/executions`, {});
    expect((await api.waitForExecution(TENANT, clean.executionId, { timeoutMs: 30_000 })).status).toBe('success');

    // A write-back the store rejects, echoing the credentials: a ValidationError conflict.
    fake.setFaults({ writeFaults: [{ kind: 'credential_echo' }] });
    const [shard] = (await api.ok('GET', `tenants/${TENANT}/shards?type=customer&externalId=1`)).items;
    expect((await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { phone: '+1 555 0199' } })).status).toBe(200);
    const conflict = await until('the write-back conflict', async () => (await api.ok('GET', `tenants/${TENANT}/conflicts?type=ValidationError`)).items[0]);
    expect(conflict.message).toMatch(/^Consumer key \[redacted\] with secret \[redacted\] was refused/);

    // Reads the store refuses with 400, echoing: the run fails with fetch failures.
    fake.setFaults({ failureRate: 1, kinds: ['credential_echo'], credentialEchoStatus: 400 });
    const failing = await api.ok('POST', `tenants/${TENANT}/tasks/inbound/executions`, { maxRetries: 0 });
    const failed = await api.waitForExecution(TENANT, failing.executionId, { timeoutMs: 30_000 });
    expect(failed.status).toBe('failed');
    expect(failed.lastErrors.length).toBeGreaterThan(0);
    for (const error of failed.lastErrors) expect(error.message).toMatch(/Consumer key \[redacted\] with secret \[redacted\] was refused/);

    // Reads refused with 401, echoing: the run pauses for auth, with an alert giving the reason.
    fake.setFaults({ failureRate: 1, kinds: ['credential_echo'], credentialEchoStatus: 401 });
    const refused = await api.ok('POST', `tenants/${TENANT}/tasks/inbound/executions`, {});
    const paused = await until('the auth pause', async () => {
      const view = await api.ok('GET', `tenants/${TENANT}/executions/${refused.executionId}`);
      return view.status === 'paused' ? view : undefined;
    });
    // The view says why, in the provider's words, redacted (checked with every other view below).
    const answer = { stage: 'fetch', stream: 'customers', errorClass: 'AuthError', httpStatus: 401, message: expect.stringMatching(/failed with 401 .*was refused/) };
    expect(paused).toMatchObject({ pauseReason: 'auth', pauseDetail: answer });
    expect(paused.lastErrors[0]).toMatchObject(answer);
    const alerts = await until('both alerts', async () => {
      const parsed = receiver.bodies.map((body) => JSON.parse(body) as { type: string; data: { reason?: string } });
      const types = new Set(parsed.map((alert) => alert.type));
      return types.has('execution.failed') && types.has('execution.paused_auth') ? parsed : undefined;
    });
    expect(alerts.find((alert) => alert.type === 'execution.paused_auth')!.data.reason).toMatch(/was refused.*\[redacted\]/);
    expect(fake.requestLog.filter((entry) => entry.fault === 'credential_echo').length).toBeGreaterThanOrEqual(3);

    // Every view, read back in full.
    const executions = (await api.ok('GET', `tenants/${TENANT}/executions`)).items as Array<{ id: string }>;
    const failures = (await api.ok('GET', `tenants/${TENANT}/failures`)).items as Array<{ id: string; message: string }>;
    expect(executions.length).toBe(3);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.some((failure) => /was refused.*\[redacted\]/.test(failure.message))).toBe(true);
    const paths = [
      `tenants/${TENANT}`,
      `tenants/${TENANT}/executions`,
      ...executions.map((execution) => `tenants/${TENANT}/executions/${execution.id}`),
      `tenants/${TENANT}/failures`,
      ...failures.map((failure) => `tenants/${TENANT}/failures/${failure.id}`),
      `tenants/${TENANT}/conflicts`,
      `tenants/${TENANT}/activity`,
      `tenants/${TENANT}/connections`,
      `tenants/${TENANT}/connections/shop`,
    ];
    for (const path of paths) {
      const response = await api.request('GET', path);
      expect(response.status, path).toBe(200);
      expect(formsIn(JSON.stringify(response.body), forms), path).toEqual([]);
    }
    expect(formsIn(receiver.bodies.join('\n'), forms), 'alerts').toEqual([]);

    await host.stop();
    const output = host.output();
    expect(output).toContain('the provider refused the credentials; execution paused');
    expect(formsIn(output, forms), 'host output').toEqual([]);
  }, 90_000);
});
