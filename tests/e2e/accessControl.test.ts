import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { startFakeEntraId, type FakeEntraId } from '../../dev/fakes/fakeEntraId.js';
import { loadFunctionFiles, type LoadedFunction } from '../../dev/host/loadFunctions.js';
import { projectDir, startHostProcess, type HostProcess } from './hostProcess.js';

const A = 'rt';
const B = 'rt-b';

/** Every admin route of the app, read from what the function files register: a new route cannot be missed. */
async function adminRoutes(): Promise<LoadedFunction[]> {
  const loaded = await loadFunctionFiles(projectDir, { ...process.env });
  const http = loaded.functions.filter((fn) => fn.trigger === 'httpTrigger');
  // The routes that are not the admin API, and why each is safe without a caller's credentials.
  // The console's static files hold no tenant data: every API call it makes carries the operator's key.
  expect(http.filter((fn) => fn.access === 'anonymous').map((fn) => fn.name).sort()).toEqual(['console', 'health', 'openApi']);
  expect(http.filter((fn) => fn.access === 'signature').map((fn) => fn.name)).toEqual(['receiveWebhook']);
  const routes = http.filter((fn) => fn.access !== 'anonymous' && fn.access !== 'signature');
  expect(routes.length).toBeGreaterThan(40);
  for (const route of routes) expect(['read', 'operate', 'admin'], route.name).toContain(route.access);
  return routes;
}

const pathOf = (fn: LoadedFunction, tenantId: string) => fn.route!.replace('{tenantId}', tenantId).replace(/\{(\w+)\}/g, 'x1');
const call = (api: AdminClient, fn: LoadedFunction, tenantId: string) =>
  api.request(fn.methods![0]!, pathOf(fn, tenantId), fn.methods![0] === 'GET' || fn.methods![0] === 'DELETE' ? undefined : {});

describe('who may call what', () => {
  let host: HostProcess;
  let entra: FakeEntraId;
  let dataDir: string;
  let admin: AdminClient;
  let routes: LoadedFunction[];
  const keys: Record<string, string> = {};

  /** Tenant B's documents and the queues, as the database holds them: what must not change. */
  const tenantBState = () => {
    const db = new Database(join(dataDir, 'shardsync.db'), { readonly: true });
    try {
      return {
        docs: db.prepare('SELECT container, id, etag FROM docs WHERE tenant_id = ? ORDER BY container, id').all(B),
        messages: db.prepare('SELECT count(*) AS n FROM messages').get(),
      };
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    routes = await adminRoutes();
    entra = await startFakeEntraId();
    dataDir = await mkdtemp(join(tmpdir(), 'shardsync-access-'));
    host = await startHostProcess({
      SHARDSYNC_DATA_DIR: dataDir,
      SHARDSYNC_ENTRA_AUDIENCE: entra.audience,
      SHARDSYNC_ENTRA_ISSUER: entra.issuer,
      SHARDSYNC_ENTRA_JWKS_URL: entra.jwksUrl,
    });
    admin = apiClient(host.url, host.adminKey);
    for (const tenant of [A, B]) {
      await admin.ok('PUT', `tenants/${tenant}`, {});
      await admin.ok('PUT', `tenants/${tenant}/connections/conn-b`, {
        provider: 'woocommerce',
        // Nobody listens there: saving tests the connection, and tests reach no network but loopback.
        settings: { baseUrl: 'http://127.0.0.1:9' },
        credentials: { consumerKey: `ck_${tenant}_key_0000`, consumerSecret: `cs_${tenant}_secret_0000` },
      });
      await admin.ok('PUT', `tenants/${tenant}/schemas/customers`, { shardType: 'customer', fields: [{ from: 'email', to: 'email' }] });
      await admin.ok('PUT', `tenants/${tenant}/tasks/sync`, { connectionId: 'conn-b', streams: [{ stream: 'customers', schemaId: 'customers' }] });
    }
    for (const role of ['Sync.Reader', 'Sync.Operator', 'Sync.Admin']) {
      keys[role] = (await admin.ok('POST', `tenants/${A}/api-keys`, { name: role, role })).key;
    }
  });
  afterAll(async () => {
    await host?.stop();
    await entra?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('without credentials, or with credentials that prove nothing, every admin route answers 401', async () => {
    const anonymous = admin.as(undefined);
    const strangers = [
      anonymous,
      admin.as('not-a-key'),
      admin.as(`ssa.${'A'.repeat(43)}`),
      admin.as(`ssk.${A}.key_0000.${'A'.repeat(43)}`),
      admin.as(await entra.issueToken({ oid: 'o-1', roles: ['Sync.Admin'], tenants: ['*'] }, { foreignKey: true })),
      admin.as(await entra.issueToken({ oid: 'o-1', roles: ['Sync.Admin'], tenants: ['*'] }, { expiresIn: -600 })),
    ];
    for (const fn of routes) {
      for (const caller of strangers) {
        const response = await call(caller, fn, A);
        expect(response.status, `${fn.name} ${pathOf(fn, A)}`).toBe(401);
        expect(response.body).toMatchObject({ error: { code: 'unauthenticated' } });
      }
      const basic = await anonymous.request(fn.methods![0]!, pathOf(fn, A), undefined, { authorization: 'Basic YWRtaW46YWRtaW4=' });
      expect(basic.status, fn.name).toBe(401);
    }
  });

  it('each role reaches exactly its routes: a reader on a write route and an operator on an admin route get 403', async () => {
    const allowed: Record<string, string[]> = { 'Sync.Reader': ['read'], 'Sync.Operator': ['read', 'operate'], 'Sync.Admin': ['read', 'operate', 'admin'] };
    const person = async (role: string) => admin.as(await entra.issueToken({ oid: `o-${role}`, roles: [role], tenants: [A] }));
    for (const role of Object.keys(allowed)) {
      for (const caller of [admin.as(keys[role]), await person(role)]) {
        for (const fn of routes) {
          const { status } = await call(caller, fn, A);
          if (allowed[role]!.includes(fn.access!)) expect([401, 403], `${role} on ${fn.name}`).not.toContain(status);
          else expect(status, `${role} on ${fn.name}`).toBe(403);
        }
      }
    }
  });

  it('tenant A\'s credentials on tenant B\'s ids: 403 on every route, and nothing of B is written', async () => {
    const before = tenantBState();
    expect(before.docs.length).toBeGreaterThan(3);
    const callers = [
      admin.as(keys['Sync.Admin']),
      admin.as(await entra.issueToken({ oid: 'o-a-admin', roles: ['Sync.Admin'], tenants: [A] })),
    ];
    for (const caller of callers) {
      for (const fn of routes) {
        const response = await call(caller, fn, B);
        expect(response.status, `${fn.name} ${pathOf(fn, B)}`).toBe(403);
        // The same answer for a tenant that does not exist: tenants cannot be discovered this way.
        const unknown = await call(caller, fn, 'no-such-tenant');
        expect(unknown.status, fn.name).toBe(403);
        expect(unknown.body.error.message).toBe(response.body.error.message.replace(B, 'no-such-tenant'));
      }
    }
    expect(tenantBState()).toEqual(before);
  });

  it('a person whose token names no tenant acts through the tenant\'s membership, up to its role', async () => {
    const member = admin.as(await entra.issueToken({ oid: 'o-member', roles: ['Sync.Admin'] }));
    const getTasks = () => member.request('GET', `tenants/${A}/tasks`);
    expect((await getTasks()).status).toBe(403);
    await admin.ok('PUT', `tenants/${A}/members/o-member`, { role: 'Sync.Operator', name: 'Olive' });
    expect((await getTasks()).status).toBe(200);
    expect((await member.request('PUT', `tenants/${A}/tasks/sync`, { connectionId: 'conn-b', streams: [{ stream: 'customers', schemaId: 'customers' }] })).status).toBe(403);
    expect((await member.request('GET', `tenants/${B}/tasks`)).status).toBe(403);
    await admin.ok('DELETE', `tenants/${A}/members/o-member`);
    expect((await getTasks()).status).toBe(403);
  });

  it('the audit log names the authenticated caller, whatever actor header the caller sends', async () => {
    const operator = admin.as(keys['Sync.Operator']);
    const keyId = keys['Sync.Operator']!.split('.')[2];
    const started = await operator.request('POST', `tenants/${A}/tasks/sync/executions`, {}, { 'x-shardsync-actor': 'mallory', 'x-ms-client-principal-name': 'mallory' });
    expect(started.status).toBe(202);
    await operator.request('POST', `tenants/${A}/executions/${started.body.executionId}/cancel`, undefined, { 'x-shardsync-actor': 'mallory' });
    const activity = await admin.ok('GET', `tenants/${A}/activity?executionId=${started.body.executionId}`);
    const byOperator = activity.items.filter((entry: any) => entry.actor.type === 'operator');
    expect(byOperator.length).toBeGreaterThan(0);
    for (const entry of byOperator) expect(entry.actor.id).toBe(`key:${keyId}`);
    expect(JSON.stringify(activity)).not.toContain('mallory');
  });

  it('health and the API description stay anonymous, and an unsigned webhook is refused', async () => {
    const anonymous = admin.as(undefined);
    expect((await anonymous.request('GET', 'health')).status).toBe(200);
    const description = await anonymous.request('GET', 'openapi.json');
    expect(description.status).toBe(200);
    expect(description.body.paths['/tenants/{tenantId}']).toBeDefined();
    expect((await anonymous.request('POST', `webhooks/${A}/conn-b`, { id: 1 })).status).toBe(401);
  });
});
