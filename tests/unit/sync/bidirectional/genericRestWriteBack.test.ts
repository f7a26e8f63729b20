import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { openDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { genericRestProvider } from '../../../../shared/connectors/genericRest/genericRestProvider.js';
import type { OutboundGuard } from '../../../../shared/connectors/http/outboundGuard.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { patchShard } from '../../../../shared/sync/bidirectional/localEdits.js';
import { listConflicts } from '../../../../shared/sync/queries/conflictQueries.js';
import { resolveConflict } from '../../../../shared/sync/bidirectional/resolveConflict.js';
import { ids } from '../../../../shared/core/ids.js';
import type { ExternalRelationship, Shard } from '../../../../shared/core/schemas/shard.js';
import { startFakeRestApi, type FakeRestApi } from '../../../../dev/fakes/restApi/fakeRestApi.js';
import { embeddedDeps } from '../embeddedDeps.js';
import { loopbackOutbound } from '../loopbackOutbound.js';
import { deliverWriteBacks, syncedView } from '../syncFixture.js';

/**
 * Write-back to a `generic-rest` connection whose spec guards updates with If-Match on the record's
 * etag, through the engine: the token read with a record is kept on its shard, sent with the next
 * update and replaced by the update's answer; a stale one (a 412) is met like an inbound change.
 */
const TOKEN = 'write-back-token';
const operator = { type: 'operator' as const, id: 'ops@example.com' };

const specFor = (baseUrl: string) => ({
  title: 'Acme CRM (fake)',
  baseUrl,
  auth: { kind: 'bearer' },
  maxPageSize: 100,
  errors: { codePath: 'error.code', messagePath: 'error.message' },
  streams: [
    {
      name: 'contacts',
      path: 'contacts',
      recordsPath: 'data',
      idField: 'id',
      modifiedField: 'updated_at',
      paginator: { kind: 'cursor', cursorParam: 'cursor', sizeParam: 'limit', nextCursorPath: 'next_cursor' },
      incremental: { param: 'updated_since', format: 'iso8601' },
      writes: {
        update: { method: 'PATCH', path: 'contacts/{id}' },
        concurrency: { kind: 'header', header: 'If-Match' },
        versionField: 'etag',
        forbiddenFields: ['id', 'etag', 'updated_at'],
      },
    },
  ],
});

/** A request as the connector handed it to its HTTP client: what the fake's log does not keep. */
interface SentRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/** The loopback guard, with every request of the agents it makes recorded on its way out. */
function recordingOutbound(sent: SentRequest[]): OutboundGuard {
  const guard = loopbackOutbound();
  const agentOf = guard.agent.bind(guard);
  guard.agent = (options) => {
    const agent = agentOf(options);
    const dispatch = agent.dispatch.bind(agent);
    agent.dispatch = (call: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) => {
      sent.push({
        method: call.method,
        path: call.path,
        headers: Object.fromEntries(Object.entries((call.headers ?? {}) as Record<string, string>).map(([name, value]) => [name.toLowerCase(), value])),
        body: typeof call.body === 'string' ? JSON.parse(call.body) : undefined,
      });
      return dispatch(call, handler);
    };
    return agent;
  };
  return guard;
}

describe('generic-rest write-back with If-Match', () => {
  let fake: FakeRestApi;
  let deps: ReturnType<typeof embeddedDeps>;
  let closeDb: () => void;
  const sent: SentRequest[] = [];

  beforeEach(async () => {
    sent.length = 0;
    fake = await startFakeRestApi({ collections: ['contacts'], auth: { bearer: TOKEN } });
    fake.seed('contacts', 3);
    const db = openDatabase(':memory:');
    closeDb = () => db.close();
    deps = embeddedDeps(db, { providers: [genericRestProvider], outbound: recordingOutbound(sent) });
    await putTenant(deps, 't1', {});
    await saveConnection(deps, 't1', { provider: 'generic-rest', settings: { spec: specFor(`${fake.url}/v1`) }, credentials: { token: TOKEN } }, 'crm');
    await saveConversionSchema(deps, 't1', { shardType: 'contact', fields: [{ from: 'name', to: 'name' }, { from: 'email', to: 'email' }] }, 'contacts');
    await saveSyncTask(deps, 't1', { connectionId: 'crm', direction: 'bidirectional', streams: [{ stream: 'contacts', schemaId: 'contacts' }] }, 'bidi');
  });

  afterEach(async () => {
    await fake.close();
    closeDb();
  });

  const fixture = () => ({ deps, bus: deps.bus });
  const ID = 'contacts_000001';
  const shardId = ids.shardFor('crm', 'contacts', ID);
  const shard = async () => (await deps.store.read<Shard>('shards', 't1', shardId))!;
  const relationship = async (): Promise<ExternalRelationship> => (await shard()).externalRelationships.find((r) => r.externalId === ID)!;
  const record = () => fake.get('contacts', ID)!;
  const edit = (data: Record<string, unknown>) => patchShard(deps, 't1', shardId, { data }, operator);
  /** The fake's log from here on: method, path and status of each request. */
  const requestsFrom = (since: number) => fake.requests.slice(since).map(({ method, path, status }) => ({ method, path, status }));
  const patchesFrom = (since: number) => sent.slice(since).filter((request) => request.method === 'PATCH');
  const recordPath = `/v1/contacts/${ID}`;

  it("a full run keeps each record's etag as its shard's remoteVersion", async () => {
    await syncedView(fixture(), 'bidi');
    const records = fake.all('contacts');
    expect(records).toHaveLength(3);
    for (const contact of records) {
      const stored = await deps.store.read<Shard>('shards', 't1', ids.shardFor('crm', 'contacts', contact.id));
      expect(stored?.externalRelationships).toEqual([expect.objectContaining({ externalId: contact.id, remoteVersion: contact.etag, remoteModifiedAt: contact.updated_at })]);
    }
  });

  it('a provider change read by a later run moves the token on, so the next local edit is written at once', async () => {
    await syncedView(fixture(), 'bidi');
    const changed = fake.upsert('contacts', { id: ID, email: 'remote@example.test' });
    await syncedView(fixture(), 'bidi');
    expect(await relationship()).toMatchObject({ remoteVersion: changed.etag, remoteModifiedAt: changed.updated_at });
    const before = fake.requests.length;

    await edit({ name: 'After the read' });
    expect(await deliverWriteBacks(fixture())).toBe(1);

    expect(requestsFrom(before)).toEqual([{ method: 'PATCH', path: recordPath, status: 200 }]);
    expect(record()).toMatchObject({ name: 'After the read', email: 'remote@example.test' });
  });

  it('a local edit is written with If-Match on the etag read, without provider-owned fields, and the token moves on to the answer', async () => {
    await syncedView(fixture(), 'bidi');
    const read = record();
    const before = fake.requests.length;
    const sentBefore = sent.length;

    await edit({ name: 'Ada Lovelace' });
    expect(await deliverWriteBacks(fixture())).toBe(1);

    expect(requestsFrom(before)).toEqual([{ method: 'PATCH', path: recordPath, status: 200 }]);
    const [patch] = patchesFrom(sentBefore);
    expect(patch?.headers['if-match']).toBe(`"${read.etag}"`);
    expect(patch?.body).toEqual({ name: 'Ada Lovelace' });
    const written = record();
    expect(written).toMatchObject({ name: 'Ada Lovelace', email: read.email });
    expect(written.etag).not.toBe(read.etag);
    expect(await relationship()).toMatchObject({ remoteVersion: written.etag, remoteModifiedAt: written.updated_at });

    // The second edit is sent with the etag of the first one's answer: the first is not stale.
    const sentBetween = sent.length;
    await edit({ email: 'ada@example.test' });
    expect(await deliverWriteBacks(fixture())).toBe(1);
    const [second] = patchesFrom(sentBetween);
    expect(second?.headers['if-match']).toBe(`"${written.etag}"`);
    expect(second?.body).toEqual({ email: 'ada@example.test' });
    expect(record()).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.test' });
    expect((await relationship()).remoteVersion).toBe(record().etag);
    expect((await listConflicts(deps, 't1', {})).items).toEqual([]);

    // The echo of both writes reads as unchanged and sends nothing back.
    expect((await syncedView(fixture(), 'bidi')).counts).toMatchObject({ updated: 0, conflicts: 0 });
    expect(await deliverWriteBacks(fixture())).toBe(0);
  });

  it('a provider change on another field refuses the write (412); both changes survive and the write goes again with the new etag', async () => {
    await syncedView(fixture(), 'bidi');
    const read = record();
    const changed = fake.upsert('contacts', { id: ID, email: 'remote@example.test' });
    const before = fake.requests.length;
    const sentBefore = sent.length;

    await edit({ name: 'Local name' });
    // The refused write, then the one the merge queued.
    expect(await deliverWriteBacks(fixture())).toBe(2);

    expect(requestsFrom(before)).toEqual([
      { method: 'PATCH', path: recordPath, status: 412 },
      { method: 'GET', path: recordPath, status: 200 },
      { method: 'PATCH', path: recordPath, status: 200 },
    ]);
    const patches = patchesFrom(sentBefore);
    expect(patches.map((patch) => patch.headers['if-match'])).toEqual([`"${read.etag}"`, `"${changed.etag}"`]);
    expect(patches.map((patch) => patch.body)).toEqual([{ name: 'Local name' }, { name: 'Local name' }]);
    expect(record()).toMatchObject({ name: 'Local name', email: 'remote@example.test' });
    expect((await shard()).data).toEqual({ name: 'Local name', email: 'remote@example.test' });
    expect((await relationship()).remoteVersion).toBe(record().etag);
    expect((await listConflicts(deps, 't1', {})).items).toEqual([]);
  });

  it('a provider change on the same field, under the default strategy (merge, then manual), opens a conflict and writes nothing more', async () => {
    await syncedView(fixture(), 'bidi');
    const read = record();
    const changed = fake.upsert('contacts', { id: ID, name: 'Remote name' });
    const before = fake.requests.length;

    await edit({ name: 'Local name' });
    expect(await deliverWriteBacks(fixture())).toBe(1);

    expect(requestsFrom(before)).toEqual([
      { method: 'PATCH', path: recordPath, status: 412 },
      { method: 'GET', path: recordPath, status: 200 },
    ]);
    expect(record()).toMatchObject({ name: 'Remote name', etag: changed.etag });
    // Each side keeps its value until a person decides; the token is the provider's latest.
    expect((await shard()).data).toEqual({ name: 'Local name', email: read.email });
    expect((await relationship()).remoteVersion).toBe(changed.etag);
    const { items } = await listConflicts(deps, 't1', { status: 'open' });
    expect(items).toEqual([expect.objectContaining({ type: 'DataMismatch', path: 'name', base: read.name, local: 'Local name', remote: 'Remote name', strategy: 'merge' })]);

    // Keeping the local value writes it with the etag the refused write read.
    const sentBefore = sent.length;
    await resolveConflict(deps, 't1', items[0]!.id, { action: 'accept_local' }, operator);
    expect(await deliverWriteBacks(fixture())).toBe(1);
    const patches = patchesFrom(sentBefore);
    expect(patches).toEqual([expect.objectContaining({ headers: expect.objectContaining({ 'if-match': `"${changed.etag}"` }), body: { name: 'Local name' } })]);
    expect(record().name).toBe('Local name');
    expect((await relationship()).remoteVersion).toBe(record().etag);
  });

  it('a provider change on the same field, under target_wins, is overwritten with the local value and the new etag', async () => {
    await saveSyncTask(
      deps,
      't1',
      { connectionId: 'crm', direction: 'bidirectional', streams: [{ stream: 'contacts', schemaId: 'contacts' }], conflictResolution: { strategy: 'target_wins' } },
      'bidi',
    );
    await syncedView(fixture(), 'bidi');
    const changed = fake.upsert('contacts', { id: ID, name: 'Remote name' });
    const sentBefore = sent.length;

    await edit({ name: 'Local name' });
    expect(await deliverWriteBacks(fixture())).toBe(2);

    const patches = patchesFrom(sentBefore);
    expect(patches).toHaveLength(2);
    expect(patches[1]).toMatchObject({ headers: { 'if-match': `"${changed.etag}"` }, body: { name: 'Local name' } });
    expect(record().name).toBe('Local name');
    expect((await shard()).data.name).toBe('Local name');
    expect((await relationship()).remoteVersion).toBe(record().etag);
    expect((await listConflicts(deps, 't1', { status: 'open' })).items).toEqual([]);
  });

  it('a shard synced before versions were kept is written after reading the record for its etag: one GET, then the PATCH with If-Match', async () => {
    await syncedView(fixture(), 'bidi');
    const stored = await shard();
    const unversioned = stored.externalRelationships.map(({ remoteVersion: _dropped, ...rest }) => rest);
    await deps.store.upsert<Shard>('shards', { ...stored, externalRelationships: unversioned });
    expect((await relationship()).remoteVersion).toBeUndefined();
    const read = record();
    const before = fake.requests.length;
    const sentBefore = sent.length;

    await edit({ name: 'Read first' });
    expect(await deliverWriteBacks(fixture())).toBe(1);

    expect(requestsFrom(before)).toEqual([
      { method: 'GET', path: recordPath, status: 200 },
      { method: 'PATCH', path: recordPath, status: 200 },
    ]);
    const [patch] = patchesFrom(sentBefore);
    expect(patch?.headers['if-match']).toBe(`"${read.etag}"`);
    expect(patch?.body).toEqual({ name: 'Read first' });
    expect(record().name).toBe('Read first');
    // From here on the shard has a version again.
    expect((await relationship()).remoteVersion).toBe(record().etag);
  });

  it('a shard without a version whose record changed since its read is merged after the check read, then written with the etag that read found', async () => {
    await syncedView(fixture(), 'bidi');
    const stored = await shard();
    const unversioned = stored.externalRelationships.map(({ remoteVersion: _dropped, ...rest }) => rest);
    await deps.store.upsert<Shard>('shards', { ...stored, externalRelationships: unversioned });
    const changed = fake.upsert('contacts', { id: ID, email: 'remote@example.test' });
    const before = fake.requests.length;
    const sentBefore = sent.length;

    await edit({ name: 'Local name' });
    expect(await deliverWriteBacks(fixture())).toBe(2);

    // The check read finds a newer modified time: nothing is sent on that attempt.
    expect(requestsFrom(before)).toEqual([
      { method: 'GET', path: recordPath, status: 200 },
      { method: 'PATCH', path: recordPath, status: 200 },
    ]);
    const [patch] = patchesFrom(sentBefore);
    expect(patch).toMatchObject({ headers: { 'if-match': `"${changed.etag}"` }, body: { name: 'Local name' } });
    expect(record()).toMatchObject({ name: 'Local name', email: 'remote@example.test' });
    expect((await shard()).data).toEqual({ name: 'Local name', email: 'remote@example.test' });
    expect((await relationship()).remoteVersion).toBe(record().etag);
  });
});
