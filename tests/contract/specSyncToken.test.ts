import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGooglePeople, type FakeGooglePeople } from '../../dev/fakes/google/fakeGooglePeople.js';
import type { Connector, SourceRecord } from '../../shared/connectors/connector.js';
import { genericRestProvider } from '../../shared/connectors/genericRest/genericRestProvider.js';
import { IncrementalStateExpiredError } from '../../shared/connectors/incrementalStateExpiredError.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

/**
 * A stream whose incremental state is a sync token the provider issues (Google People's
 * `nextSyncToken`), declared in a spec and read from the fake People API: a full read asks for a
 * token, an incremental one sends it on every page and gets the changed and deleted contacts only,
 * and an expired token is the engine's "read in full" signal.
 */
const token = 'ya29.contract-test-token';
const spec = {
  title: 'People',
  baseUrl: '{root}/v1',
  auth: { kind: 'bearer' },
  maxPageSize: 100,
  errors: { codePath: 'error.status', messagePath: 'error.message', rules: [{ status: [400], message: 'Sync token is expired', kind: 'stateExpired' }] },
  streams: [
    {
      name: 'contacts',
      path: 'people/me/connections',
      query: { personFields: 'names,emailAddresses,metadata' },
      recordsPath: 'connections',
      idField: 'resourceName',
      modifiedField: 'metadata.sources.0.updateTime',
      paginator: { kind: 'cursor', cursorParam: 'pageToken', sizeParam: 'pageSize', nextCursorPath: 'nextPageToken' },
      syncToken: { param: 'syncToken', requestParams: { requestSyncToken: 'true' }, nextTokenPath: 'nextSyncToken' },
      deletedFlagPath: 'metadata.deleted',
    },
  ],
};

let fake: FakeGooglePeople | undefined;
let connector: Connector | undefined;
afterEach(async () => {
  await connector?.close?.();
  await fake?.close();
  fake = undefined;
  connector = undefined;
});

async function readAll(reader: Connector, state?: unknown): Promise<{ records: SourceRecord[]; deleted: string[]; state: unknown }> {
  const records: SourceRecord[] = [];
  const deleted: string[] = [];
  let next: string | undefined;
  let last: unknown;
  for (let page = 1; ; page++) {
    expect(page).toBeLessThan(50);
    const answer = await reader.listChainedPage!({ stream: 'contacts', page, perPage: 100, ...(next ? { next } : {}), ...(state !== undefined ? { state } : {}) });
    records.push(...answer.records);
    deleted.push(...(answer.deletedIds ?? []));
    if (answer.state !== undefined) last = answer.state;
    if (answer.next === undefined) return { records, deleted, state: last };
    next = answer.next;
  }
}

describe('a sync-token stream declared in a spec, against the fake People API', () => {
  it('a full read keeps the token; an incremental read with it gets only the changed and deleted contacts; an expired one asks for a full read', async () => {
    fake = await startFakeGooglePeople({ accessToken: token });
    const people = fake.seed(250);
    connector = genericRestProvider.create({ spec, variables: { root: fake.url } }, { token }, { outbound: loopbackOutbound() });
    expect(connector.streams()[0]).toMatchObject({ paging: 'chained', connectorState: true });

    const full = await readAll(connector);
    expect(full.records).toHaveLength(250);
    expect(full.state).toEqual({ syncToken: expect.any(String) });

    const changed = String(people[3]!.resourceName);
    const removed = String(people[7]!.resourceName);
    fake.update(changed, { names: [{ givenName: 'Changed' }] });
    fake.remove(removed);
    const incremental = await readAll(connector, full.state);
    expect(incremental.records.map((record) => record.resourceName)).toEqual([changed]);
    expect(incremental.deleted).toEqual([removed]);
    // Every incremental page carried the token, as the API requires.
    expect(fake.requests.slice(-1).every((request) => request.query.syncToken === (full.state as { syncToken: string }).syncToken)).toBe(true);

    fake.expireSyncTokens();
    await expect(readAll(connector, incremental.state ?? full.state)).rejects.toBeInstanceOf(IncrementalStateExpiredError);
  });
});
