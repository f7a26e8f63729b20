import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { genericRestProvider } from '../../../../shared/connectors/genericRest/genericRestProvider.js';
import type { ConnectorSpecInput } from '../../../../shared/connectors/spec/connectorSpec.js';
import { ids } from '../../../../shared/core/ids.js';
import type { WebhookHmacVerifier } from '../../../../shared/core/schemas/connection.js';
import type { Execution } from '../../../../shared/core/schemas/execution.js';
import { signWebhook } from '../../../../shared/core/triggers/webhookSignature.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { getShard } from '../../../../shared/sync/queries/shardQueries.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { flushWebhookWindow } from '../../../../shared/sync/triggers/flushWebhooks.js';
import { receiveWebhook, type WebhookReceipt } from '../../../../shared/sync/triggers/receiveWebhook.js';
import { webhookFlushMessage } from '../../../../shared/sync/triggers/webhookDeliveries.js';
import { startFakeRestApi, type FakeRestApi, type FakeRestRequest } from '../../../../dev/fakes/restApi/fakeRestApi.js';
import { embeddedDeps } from '../embeddedDeps.js';
import { drain, syncedView } from '../syncFixture.js';

/**
 * A `generic-rest` connection whose spec says how its API signs and shapes webhooks, through the
 * engine: receiving, flushing the window and the run it starts, against the fake REST API.
 */
const TOKEN = 'generic-rest-webhook-token';
const SECRET = 'whsec_generic_rest_secret';
const RECORDS = 10;

/** The spec's scheme: GitHub-style `sha256=` + hex HMAC of the body in `X-Acme-Signature`. */
const ACME_VERIFIER: WebhookHmacVerifier = { kind: 'hmac', header: 'X-Acme-Signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', signedPayload: 'body' };
/** What `generic-rest` checks when the spec declares no webhooks. */
const DEFAULT_VERIFIER: WebhookHmacVerifier = { kind: 'hmac', header: 'X-Signature', algorithm: 'sha256', encoding: 'hex', signedPayload: 'body' };

const WEBHOOKS: NonNullable<ConnectorSpecInput['webhooks']> = {
  verifier: ACME_VERIFIER,
  topicPath: 'event',
  streams: { 'contact.updated': 'contacts', 'contact.deleted': 'contacts' },
  idPath: 'data.id',
  deletedTopics: '\\.deleted$',
  recordPath: 'data',
};

const settingsFor = (api: FakeRestApi, webhooks: ConnectorSpecInput['webhooks'] | null) => ({
  spec: {
    title: 'Acme CRM',
    baseUrl: '{root}/v1',
    auth: { kind: 'bearer' },
    maxPageSize: 100,
    errors: { codePath: 'error.code', messagePath: 'error.message' },
    streams: [
      {
        name: 'contacts',
        path: 'contacts',
        recordsPath: 'data',
        modifiedField: 'updated_at',
        paginator: { kind: 'cursor', cursorParam: 'cursor', sizeParam: 'limit', nextCursorPath: 'next_cursor' },
        incremental: { param: 'updated_since' },
      },
    ],
    ...(webhooks ? { webhooks } : {}),
  },
  variables: { root: api.url },
  timeoutMs: 5_000,
});

const contactId = (n: number) => `contacts_${String(n).padStart(6, '0')}`;
const shardOf = (id: string) => ids.shardFor('crm', 'contacts', id);

describe('generic-rest webhooks through the engine', () => {
  let fake: FakeRestApi;
  let deps: ReturnType<typeof embeddedDeps>;
  let closeDb: () => void;
  afterEach(async () => {
    await fake?.close();
    closeDb?.();
  });

  /** Contacts synced by a full run of task `task`; the connection `crm` takes deliveries one run each. `null`: a spec without `webhooks`. */
  async function synced(webhooks: ConnectorSpecInput['webhooks'] | null = WEBHOOKS) {
    const db = openDatabase(':memory:');
    closeDb = () => db.close();
    deps = embeddedDeps(db, { providers: [genericRestProvider] });
    fake = await startFakeRestApi({ collections: ['contacts'], auth: { bearer: TOKEN } });
    fake.seed('contacts', RECORDS);
    await putTenant(deps, 't1', {});
    await saveConnection(
      deps,
      't1',
      { provider: 'generic-rest', settings: settingsFor(fake, webhooks), credentials: { token: TOKEN }, webhookSecret: SECRET, webhooks: { coalesceWindowMs: 0 } },
      'crm',
    );
    await saveConversionSchema(deps, 't1', { shardType: 'contact', fields: [{ from: 'name', to: 'name' }, { from: 'email', to: 'email' }] }, 'contacts');
    await saveSyncTask(deps, 't1', { connectionId: 'crm', streams: [{ stream: 'contacts', schemaId: 'contacts' }] }, 'task');
    expect(await syncedView({ deps, bus: deps.bus }, 'task')).toMatchObject({ counts: { created: RECORDS } });
  }

  /** A delivery of `body`, signed with `verifier` (`null`: unsigned). */
  const deliver = (body: unknown, verifier: WebhookHmacVerifier | null = ACME_VERIFIER): Promise<WebhookReceipt> => {
    const raw = JSON.stringify(body);
    const headers = new Headers({ 'content-type': 'application/json', ...(verifier ? { [verifier.header]: signWebhook(verifier, SECRET, raw) } : {}) });
    return receiveWebhook(deps, { tenantId: 't1', connectionId: 'crm', headers, rawBody: Buffer.from(raw) });
  };

  /** Flushes the one due window and runs the one run it started to its end. */
  async function flushedRun(): Promise<Execution> {
    const messages = await deps.bus.receive('webhooks', 10);
    expect(messages).toHaveLength(1);
    await flushWebhookWindow(deps, webhookFlushMessage.parse(messages[0]!.body));
    await deps.bus.complete('webhooks', messages[0]!.lockToken);
    const runs = (await deps.store.query<Execution>('executions', 't1', { filters: [{ path: 'kind', op: '=', value: 'execution' }] }, { maxItems: 100 })).items.filter(
      (execution) => execution.mode === 'incremental',
    );
    expect(runs).toHaveLength(1);
    await drain({ deps, bus: deps.bus });
    return runs[0]!;
  }

  const contactReads = (requests: FakeRestRequest[]) => requests.filter((request) => request.method === 'GET' && request.path.startsWith('/v1/contacts'));

  it('accepts a delivery signed as the spec says and refuses one signed with the default scheme, or unsigned, as a bad signature (401)', async () => {
    await synced();
    const body = { event: 'contact.updated', data: { id: contactId(1) } };
    expect(await deliver(body, DEFAULT_VERIFIER)).toEqual({ outcome: 'invalid_signature' });
    expect(await deliver(body, null)).toEqual({ outcome: 'invalid_signature' });
    expect(await deliver(body)).toMatchObject({ outcome: 'accepted' });
  });

  it('contact.updated carrying the whole record updates the shard without a request to the API', async () => {
    await synced();
    const record = { ...fake.get('contacts', contactId(3))!, name: 'Delivered Name', updated_at: '2099-01-01T00:00:00.000Z' };
    const requestsBefore = fake.requests.length;
    expect(await deliver({ event: 'contact.updated', data: record })).toMatchObject({ outcome: 'accepted' });
    const run = await flushedRun();

    expect(run).toMatchObject({ ids: { contacts: [contactId(3)] }, delivered: { streams: ['contacts'] } });
    expect(await getExecution(deps, 't1', run.id)).toMatchObject({ status: 'success', counts: { fetched: 1, updated: 1 } });
    expect(fake.requests.slice(requestsBefore)).toEqual([]);
    expect((await getShard(deps, 't1', shardOf(contactId(3)))).data).toMatchObject({ name: 'Delivered Name' });
  });

  it('contact.updated carrying only the id makes the run read the stream (no idsParam) and keep that record', async () => {
    await synced();
    fake.upsert('contacts', { id: contactId(4), name: 'Changed At Source' });
    const requestsBefore = fake.requests.length;
    expect(await deliver({ event: 'contact.updated', data: { id: contactId(4) } })).toMatchObject({ outcome: 'accepted' });
    const run = await flushedRun();

    expect(run).not.toHaveProperty('delivered');
    expect(await getExecution(deps, 't1', run.id)).toMatchObject({ status: 'success', counts: { fetched: 1, updated: 1, created: 0 } });
    // The list itself is read (the spec has no id filter), whatever was modified when: the run keeps the one id.
    const reads = contactReads(fake.requests.slice(requestsBefore));
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) {
      expect(read).toMatchObject({ path: '/v1/contacts', status: 200 });
      expect(read.query).not.toHaveProperty('updated_since');
    }
    expect((await getShard(deps, 't1', shardOf(contactId(4)))).data).toMatchObject({ name: 'Changed At Source' });
  });

  it('contact.deleted for a contact removed at the API tombstones its shard, and only it', async () => {
    await synced();
    const other = await getShard(deps, 't1', shardOf(contactId(6)));
    fake.remove('contacts', contactId(5));
    expect(await deliver({ event: 'contact.deleted', data: { id: contactId(5) } })).toMatchObject({ outcome: 'accepted' });
    const run = await flushedRun();

    expect(run).toMatchObject({ ids: { contacts: [contactId(5)] }, deletedIds: { contacts: [contactId(5)] } });
    expect(await getExecution(deps, 't1', run.id)).toMatchObject({ status: 'success', counts: { deleted: 1 } });
    expect(await getShard(deps, 't1', shardOf(contactId(5)))).toMatchObject({ deletedBy: run.id, deletedAt: expect.any(String) });
    expect(await getShard(deps, 't1', shardOf(contactId(6)))).toEqual(other);
  });

  it('contact.deleted for a contact still at the API, unchanged since the last run, tombstones nothing', async () => {
    await synced();
    const before = await getShard(deps, 't1', shardOf(contactId(7)));
    const requestsBefore = fake.requests.length;
    expect(await deliver({ event: 'contact.deleted', data: { id: contactId(7) } })).toMatchObject({ outcome: 'accepted' });
    const run = await flushedRun();

    expect(run.deletedIds).toEqual({ contacts: [contactId(7)] });
    expect(await getExecution(deps, 't1', run.id)).toMatchObject({ status: 'success', counts: { deleted: 0 } });
    // Confirmed by reading the stream unfiltered: a modified-since read would not return it and it would look gone.
    const reads = contactReads(fake.requests.slice(requestsBefore));
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(read.query).not.toHaveProperty('updated_since');
    const after = await getShard(deps, 't1', shardOf(contactId(7)));
    expect(after.deletedAt).toBeUndefined();
    expect(after.data).toEqual(before.data);
  });

  it('a connection whose spec declares no webhooks accepts the default X-Signature scheme and refuses the spec one', async () => {
    await synced(null);
    // Without `webhooks` the body's `topic` names the event and `id` the record.
    const body = { topic: 'contact.updated', id: contactId(2) };
    expect(await deliver(body, ACME_VERIFIER)).toEqual({ outcome: 'invalid_signature' });
    expect(await deliver(body, DEFAULT_VERIFIER)).toMatchObject({ outcome: 'accepted' });
  });
});
