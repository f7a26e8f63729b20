import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { OutboundGuard } from '../../../../shared/connectors/http/outboundGuard.js';
import { wooCommerceProvider } from '../../../../shared/connectors/woocommerce/wooCommerceProvider.js';
import { ProviderUnavailableError } from '../../../../shared/connectors/providerUnavailableError.js';
import { SystemHostResolver } from '../../../../shared/adapters/network/systemHostResolver.js';
import { parseOutboundAllowList } from '../../../../shared/core/security/outboundAllowList.js';
import { connectionTestResult } from '../../../../shared/core/schemas/answers/connectionTest.js';
import type { ActivityEntry } from '../../../../shared/core/schemas/activity.js';
import type { Connection } from '../../../../shared/core/schemas/connection.js';
import { ids } from '../../../../shared/core/ids.js';
import type { Clock } from '../../../../shared/ports/clock.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import { testConnection } from '../../../../shared/sync/resources/testConnection.js';
import { getProviderState, guardProviderCall } from '../../../../shared/sync/operations/providerGuard.js';
import { listActivity } from '../../../../shared/sync/queries/activityQueries.js';
import { TooManyRequestsError } from '../../../../shared/sync/tooManyRequestsError.js';
import { startFakeWooCommerce, type FakeWooCommerce, type FakeWooCommerceOptions } from '../../../../dev/fakes/fakeWooCommerce.js';
import { createSelfSignedCertificate } from '../../../../dev/fakes/selfSignedCertificate.js';
import { DEMO_CREDENTIALS } from '../../../../dev/demoSetup.js';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { embeddedDeps } from '../embeddedDeps.js';
import { drain, syncFixture } from '../syncFixture.js';

const WRONG = { consumerKey: DEMO_CREDENTIALS.consumerKey, consumerSecret: 'cs_wrong_but_long_enough_42' };
const operator = { type: 'operator' as const, id: 'key:k1' };
const certificate = createSelfSignedCertificate();

/** A clock the test moves by hand, starting now (connectors are cached per connection version, which is a time). */
class ManualClock implements Clock {
  ms = Date.now();
  now = () => new Date(this.ms);
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let tenants = 0;

/** A tenant of its own (connectors are cached per process by tenant and connection), a fake store, and use-case deps. */
async function setup(options: { store?: Partial<FakeWooCommerceOptions>; clock?: Clock; outbound?: OutboundGuard } = {}) {
  const db: SqliteDatabase = openDatabase(':memory:');
  cleanups.push(() => {
    db.close();
  });
  const deps = embeddedDeps(db, { providers: [wooCommerceProvider], ...(options.clock ? { clock: options.clock } : {}), ...(options.outbound ? { outbound: options.outbound } : {}) });
  const store: FakeWooCommerce = await startFakeWooCommerce({ seed: 9, counts: { customers: 20, products: 0, orders: 0 }, ...DEMO_CREDENTIALS, ...options.store });
  cleanups.push(() => store.close());
  const tenantId = `t-conntest-${++tenants}`;
  await putTenant(deps, tenantId, {});
  const save = (settings: Record<string, unknown>, credentials?: object) =>
    saveConnection(deps, tenantId, { provider: 'woocommerce', settings, ...(credentials ? { credentials } : {}) }, 'shop', operator);
  return { deps, store, tenantId, save };
}

const activity = async (deps: SyncDeps, tenantId: string): Promise<ActivityEntry[]> =>
  (await listActivity(deps, tenantId, { action: 'connection.tested' })).items as ActivityEntry[];

describe('testing a connection', () => {
  it('with the right credentials answers ok, when it checked and how long it took', async () => {
    const { deps, store, tenantId, save } = await setup();
    await save({ baseUrl: store.url }, DEMO_CREDENTIALS);
    const before = Date.now();
    const result = await testConnection(deps, tenantId, 'shop', operator);
    expect(connectionTestResult.parse(result)).toEqual({ ok: true, outcome: 'ok', checkedAt: expect.any(String), durationMs: expect.any(Number) });
    expect(Date.parse(result.checkedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(store.requestLog.at(-1)).toMatchObject({ path: '/wp-json/wc/v3/customers', query: { per_page: '1' }, status: 200 });
  });

  it('with a wrong secret answers unauthorized with the store’s 401, and the secret is nowhere in the answer or the log', async () => {
    const { deps, store, tenantId, save } = await setup();
    await save({ baseUrl: store.url }, WRONG);
    const result = await testConnection(deps, tenantId, 'shop', operator);
    expect(result).toMatchObject({ ok: false, outcome: 'unauthorized', status: 401, code: 'woocommerce_rest_authentication_error' });
    expect(result.message).toEqual(expect.stringContaining('401'));
    const entries = await activity(deps, tenantId);
    expect(entries.length).toBeGreaterThan(0);
    expect(JSON.stringify([result, entries])).not.toContain(WRONG.consumerSecret);
  });

  it('with a key whose user may not read the store answers forbidden with 403', async () => {
    const { deps, store, tenantId, save } = await setup({ store: { keyOwnerRole: 'customer' } });
    await save({ baseUrl: store.url }, DEMO_CREDENTIALS);
    expect(await testConnection(deps, tenantId, 'shop', operator)).toMatchObject({ ok: false, outcome: 'forbidden', status: 403 });
  });

  it('a base URL nobody listens on answers unreachable instead of failing', async () => {
    const { deps, tenantId, save } = await setup();
    await save({ baseUrl: 'http://127.0.0.1:9' }, DEMO_CREDENTIALS);
    const result = await testConnection(deps, tenantId, 'shop', operator);
    expect(result).toMatchObject({ ok: false, outcome: 'unreachable', code: 'ECONNREFUSED' });
    expect(result.status).toBeUndefined();
  });

  it('a store slower than the connection’s timeout answers timeout', async () => {
    const { deps, store, tenantId, save } = await setup({ store: { faults: { latencyMs: 1_000 } } });
    await save({ baseUrl: store.url, timeoutMs: 150 }, DEMO_CREDENTIALS);
    expect(await testConnection(deps, tenantId, 'shop', operator)).toMatchObject({ ok: false, outcome: 'timeout' });
  });

  it('https to a store that speaks plain http answers tls_error', async () => {
    const { deps, store, tenantId, save } = await setup();
    await save({ baseUrl: store.url.replace('http:', 'https:') }, DEMO_CREDENTIALS);
    expect(await testConnection(deps, tenantId, 'shop', operator)).toMatchObject({ ok: false, outcome: 'tls_error' });
  });

  it.skipIf(!certificate)('a certificate nobody vouches for answers tls_error, and trusting it answers ok', async () => {
    const { deps, store, tenantId, save } = await setup({ store: { https: certificate! } });
    await save({ baseUrl: store.url }, DEMO_CREDENTIALS);
    expect(await testConnection(deps, tenantId, 'shop', operator)).toMatchObject({ ok: false, outcome: 'tls_error', code: 'tls_certificate' });
    const trusted = await save({ baseUrl: store.url, caCertificate: certificate!.cert });
    expect(trusted.connection.connectionTest).toMatchObject({ ok: true, outcome: 'ok' });
  });

  it('a store failing with 500 answers provider_error with the status', async () => {
    const { deps, store, tenantId, save } = await setup();
    await save({ baseUrl: store.url }, DEMO_CREDENTIALS);
    store.setFaults({ serverErrorEvery: 1 });
    expect(await testConnection(deps, tenantId, 'shop', operator)).toMatchObject({ ok: false, outcome: 'provider_error', status: 500 });
  });

  it('an internal address the outbound guard refuses when connecting answers refused_destination', async () => {
    // Stored as if the address had passed the check at save (DNS rebinding, or a policy since tightened).
    const outbound = new OutboundGuard(parseOutboundAllowList('').allowList, new SystemHostResolver());
    const { deps, store, tenantId } = await setup({ outbound });
    const now = new Date().toISOString();
    const connection: Connection = {
      id: 'shop',
      tenantId,
      provider: 'woocommerce',
      name: 'shop',
      settings: { baseUrl: store.url },
      secretRef: ids.secretForConnection(tenantId, 'shop'),
      createdAt: now,
      updatedAt: now,
    };
    await deps.store.upsert('connections', connection);
    await deps.secrets.set(connection.secretRef, JSON.stringify(DEMO_CREDENTIALS));
    expect(await testConnection(deps, tenantId, 'shop', operator)).toMatchObject({ ok: false, outcome: 'refused_destination', code: 'destination_refused' });
    expect(store.requestLog).toEqual([]);
  });

  it('a connection whose stored credentials are gone answers credentials_missing', async () => {
    const { deps, store, tenantId, save } = await setup();
    await save({ baseUrl: store.url }, DEMO_CREDENTIALS);
    await deps.secrets.delete(ids.secretForConnection(tenantId, 'shop'));
    // Any newer version of the connection is built anew, without the cached connector.
    await save({ baseUrl: store.url, timeoutMs: 20_000 });
    expect(await testConnection(deps, tenantId, 'shop', operator)).toMatchObject({ ok: false, outcome: 'credentials_missing' });
  });

  it('is not blocked by an open circuit, and leaves the circuit as the runs left it', async () => {
    const { deps, store, tenantId, save } = await setup();
    await save({ baseUrl: store.url }, DEMO_CREDENTIALS);
    const down = new ProviderUnavailableError({ status: 503, code: 'http_503', message: 'down' });
    for (let i = 0; i < 5; i++) await guardProviderCall(deps, { tenantId, connectionId: 'shop' }, () => Promise.reject(down)).catch(() => undefined);
    const open = await getProviderState(deps, tenantId, 'shop');
    expect(open.circuit.state).toBe('open');
    expect(await testConnection(deps, tenantId, 'shop', operator)).toMatchObject({ ok: true });
    expect(await getProviderState(deps, tenantId, 'shop')).toEqual(open);
  });

  it('three tests of a connection may go at once; a fourth is a 429 that calls nobody; ten seconds later one more goes', async () => {
    const clock = new ManualClock();
    const { deps, store, tenantId, save } = await setup({ clock });
    await save({ baseUrl: store.url }, DEMO_CREDENTIALS);
    const calls = () => store.requestLog.length;
    const before = calls();
    for (let i = 0; i < 3; i++) expect(await testConnection(deps, tenantId, 'shop', operator)).toMatchObject({ ok: true });
    const refused = await testConnection(deps, tenantId, 'shop', operator).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect((refused as TooManyRequestsError).retryAfterSeconds).toBe(10);
    expect(calls()).toBe(before + 3);
    clock.ms += 10_000;
    expect(await testConnection(deps, tenantId, 'shop', operator)).toMatchObject({ ok: true });
    expect(calls()).toBe(before + 4);
  });

  it('records each test in the activity log: who asked, why, and what it found', async () => {
    const { deps, store, tenantId, save } = await setup();
    await save({ baseUrl: store.url }, DEMO_CREDENTIALS);
    await testConnection(deps, tenantId, 'shop', { type: 'operator', id: 'key:other' });
    const entries = await activity(deps, tenantId);
    expect(entries.map((entry) => [entry.actor.id, entry.details?.trigger, entry.details?.outcome])).toEqual([
      ['key:other', 'request', 'ok'],
      ['key:k1', 'save', 'ok'],
    ]);
    expect(entries[0]).toMatchObject({ subject: { kind: 'connection', id: 'shop' }, details: { durationMs: expect.any(Number) } });
  });
});

describe('saving a connection tests it', () => {
  it('a wrong secret is saved all the same, and the answer says the store refused it', async () => {
    const { deps, store, tenantId, save } = await setup();
    const saved = await save({ baseUrl: store.url }, WRONG);
    expect(saved.created).toBe(true);
    expect(saved.connection).toMatchObject({ id: 'shop', hasCredentials: true, connectionTest: { ok: false, outcome: 'unauthorized', status: 401 } });
    expect(JSON.stringify(saved)).not.toContain(WRONG.consumerSecret);
    expect(await deps.store.read('connections', tenantId, 'shop')).toBeDefined();
    expect(JSON.parse((await deps.secrets.get(ids.secretForConnection(tenantId, 'shop')))!)).toEqual(WRONG);
  });

  it('an unreachable store is saved too, and the answer says unreachable', async () => {
    const { save } = await setup();
    const saved = await save({ baseUrl: 'http://127.0.0.1:9' }, DEMO_CREDENTIALS);
    expect(saved).toMatchObject({ created: true, connection: { connectionTest: { ok: false, outcome: 'unreachable' } } });
  });

  it('new credentials and new settings are tested; a save that changes neither calls nobody', async () => {
    const { deps, store, tenantId, save } = await setup();
    await save({ baseUrl: store.url }, WRONG);
    const fixed = await save({ baseUrl: store.url }, DEMO_CREDENTIALS);
    expect(fixed.connection.connectionTest).toMatchObject({ ok: true, outcome: 'ok' });
    const retimed = await save({ baseUrl: store.url, timeoutMs: 5_000 });
    expect(retimed.connection.connectionTest).toMatchObject({ ok: true });
    const calls = store.requestLog.length;
    const renamed = await saveConnection(deps, tenantId, { provider: 'woocommerce', name: 'Renamed', settings: { baseUrl: store.url, timeoutMs: 5_000 } }, 'shop', operator);
    expect(renamed.connection).not.toHaveProperty('connectionTest');
    expect(store.requestLog.length).toBe(calls);
  });

  it('credentials the store refuses do not resume a run paused for auth; credentials it accepts do', async () => {
    const fixture = await syncFixture(30);
    cleanups.push(() => fixture.close());
    const saveCredentials = (credentials: object) =>
      saveConnection(fixture.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: fixture.fake.url }, credentials }, 'shop', operator);
    await saveCredentials(WRONG);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    const status = async () => (await getExecution(fixture.deps, 't1', execution.id)).status;
    expect(await getExecution(fixture.deps, 't1', execution.id)).toMatchObject({ status: 'paused', pauseReason: 'auth' });

    const stillWrong = await saveCredentials({ ...WRONG, consumerSecret: 'cs_still_wrong_0000' });
    expect(stillWrong.connection.connectionTest).toMatchObject({ outcome: 'unauthorized' });
    expect(await status()).toBe('paused');
    const right = await saveCredentials(DEMO_CREDENTIALS);
    expect(right.connection.connectionTest).toMatchObject({ outcome: 'ok' });
    expect(await status()).toBe('running');
    await drain(fixture);
    expect(await status()).toBe('success');
  });
});
