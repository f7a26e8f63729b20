import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc, Store, Stored } from '../../shared/ports/store.js';
import { BatchError } from '../../shared/ports/batchError.js';
import { ConflictError } from '../../shared/ports/conflictError.js';
import { NotFoundError } from '../../shared/ports/notFoundError.js';
import { PreconditionFailedError } from '../../shared/ports/preconditionFailedError.js';

interface Item extends Doc {
  name?: string;
  rank?: number;
  active?: boolean;
  counters?: { seen?: number; nested?: { deep?: number } };
  tags?: Array<{ system: string; code: string }>;
}

/**
 * The Store port's behaviour, written against the port only so every adapter (SQLite, Cosmos DB)
 * runs the same suite. One store serves all tests; each test uses its own fresh tenant ids.
 */
export function describeStoreContract(
  name: string,
  makeStore: () => Promise<{ store: Store; close(): Promise<void> }>,
): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    const tenant = (): string => `t-${randomUUID()}`;

    beforeAll(async () => {
      ({ store, close } = await makeStore());
    });
    afterAll(async () => {
      await close();
    });

    async function seed(tenantId: string, count: number, make: (i: number) => Partial<Item> = () => ({})): Promise<void> {
      for (let i = 0; i < count; i++) {
        await store.create<Item>('shards', { id: `d${String(i).padStart(3, '0')}`, tenantId, ...make(i) });
      }
    }

    async function allPages(tenantId: string, query: Parameters<Store['query']>[2], maxItems: number) {
      const ids: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await store.query<Item>('shards', tenantId, query, { maxItems, ...(token ? { continuationToken: token } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(maxItems);
        ids.push(...page.items.map((item) => item.id));
        token = page.continuationToken;
        pages += 1;
      } while (token);
      return { ids, pages };
    }

    describe('point operations', () => {
      it('reads back a created document with its etag and timestamp', async () => {
        const tenantId = tenant();
        const created = await store.create<Item>('shards', { id: 'a', tenantId, name: 'Ada', counters: { seen: 1 } });
        expect(created._etag).toEqual(expect.any(String));
        expect(Math.abs(created._ts - Date.now() / 1000)).toBeLessThan(5);
        const read = await store.read<Item>('shards', tenantId, 'a');
        expect(read).toEqual(created);
        expect(read).toMatchObject({ id: 'a', tenantId, name: 'Ada', counters: { seen: 1 } });
      });

      it('a missing document reads as undefined', async () => {
        expect(await store.read('shards', tenant(), 'nope')).toBeUndefined();
      });

      it('reads many documents at once as point reads would, leaving out absent ones and other tenants\' documents', async () => {
        const tenantId = tenant();
        const other = tenant();
        const ids = Array.from({ length: 150 }, (_, index) => `doc-${index}`);
        for (const id of ids.filter((_, index) => index % 3 !== 0)) await store.create<Item>('lookups', { id, tenantId, name: id });
        await store.create<Item>('lookups', { id: 'doc-0', tenantId: other, name: 'not yours' });
        await store.create<Item>('shards', { id: 'doc-3', tenantId, name: 'another container' });

        const found = await store.readMany<Item>('lookups', tenantId, [...ids, 'doc-1', 'missing']);
        expect([...found.keys()].sort()).toEqual(ids.filter((_, index) => index % 3 !== 0).sort());
        expect(found.get('doc-1')).toEqual(await store.read('lookups', tenantId, 'doc-1'));
        expect(await store.readMany('lookups', tenantId, [])).toEqual(new Map());
      });

      it('containers are separate: the same id in another container is another document', async () => {
        const tenantId = tenant();
        await store.create<Item>('shards', { id: 'same', tenantId, name: 'shard' });
        expect(await store.read('failures', tenantId, 'same')).toBeUndefined();
        await store.create<Item>('failures', { id: 'same', tenantId, name: 'failure' });
        expect((await store.read<Item>('shards', tenantId, 'same'))?.name).toBe('shard');
      });

      it('creating an id that exists is refused with 409 and leaves the original', async () => {
        const tenantId = tenant();
        await store.create<Item>('shards', { id: 'a', tenantId, name: 'first' });
        const error = await store.create<Item>('shards', { id: 'a', tenantId, name: 'second' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConflictError);
        expect((error as ConflictError).statusCode).toBe(409);
        expect((await store.read<Item>('shards', tenantId, 'a'))?.name).toBe('first');
      });

      it('replace with the current etag succeeds and issues a new etag', async () => {
        const tenantId = tenant();
        const v1 = await store.create<Item>('shards', { id: 'a', tenantId, name: 'v1' });
        const v2 = await store.replace<Item>('shards', { ...v1, name: 'v2' }, { ifMatch: v1._etag });
        expect(v2.name).toBe('v2');
        expect(v2._etag).not.toBe(v1._etag);
        expect(await store.read('shards', tenantId, 'a')).toEqual(v2);
      });

      it('a stale etag is refused with 412 on replace, upsert and delete, and the document is kept', async () => {
        const tenantId = tenant();
        const v1 = await store.create<Item>('shards', { id: 'a', tenantId, name: 'v1' });
        const v2 = await store.replace<Item>('shards', { ...v1, name: 'v2' });
        for (const attempt of [
          () => store.replace<Item>('shards', { ...v1, name: 'lost' }, { ifMatch: v1._etag }),
          () => store.upsert<Item>('shards', { ...v1, name: 'lost' }, { ifMatch: v1._etag }),
          () => store.delete('shards', tenantId, 'a', { ifMatch: v1._etag }),
        ]) {
          const error = await attempt().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(PreconditionFailedError);
          expect((error as PreconditionFailedError).statusCode).toBe(412);
        }
        expect(await store.read('shards', tenantId, 'a')).toEqual(v2);
      });

      it('replacing a missing document is refused with 404', async () => {
        const error = await store.replace<Item>('shards', { id: 'ghost', tenantId: tenant() }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NotFoundError);
        expect((error as NotFoundError).statusCode).toBe(404);
      });

      it('upsert creates a missing document and replaces an existing one', async () => {
        const tenantId = tenant();
        const created = await store.upsert<Item>('shards', { id: 'a', tenantId, name: 'one' });
        const replaced = await store.upsert<Item>('shards', { id: 'a', tenantId, name: 'two' }, { ifMatch: created._etag });
        expect(replaced._etag).not.toBe(created._etag);
        expect((await store.read<Item>('shards', tenantId, 'a'))?.name).toBe('two');
      });

      it('a document written back after reading does not keep its old etag or timestamp fields', async () => {
        const tenantId = tenant();
        const read = await store.create<Item>('shards', { id: 'a', tenantId, name: 'x' });
        const written = await store.upsert<Item>('shards', { ...read, name: 'y' });
        expect(written._etag).not.toBe(read._etag);
        const again = await store.read<Item>('shards', tenantId, 'a');
        expect(again?._etag).toBe(written._etag);
      });

      it('delete removes the document; deleting again reports false', async () => {
        const tenantId = tenant();
        const doc = await store.create<Item>('shards', { id: 'a', tenantId });
        expect(await store.delete('shards', tenantId, 'a', { ifMatch: doc._etag })).toBe(true);
        expect(await store.read('shards', tenantId, 'a')).toBeUndefined();
        expect(await store.delete('shards', tenantId, 'a')).toBe(false);
      });
    });

    describe('increment', () => {
      it('adds to existing and nested counters and starts missing ones at 0', async () => {
        const tenantId = tenant();
        const created = await store.create<Item>('shards', { id: 'a', tenantId, name: 'keep', counters: { seen: 5 } });
        const after = await store.increment<Item>('shards', tenantId, 'a', {
          'counters.seen': 2,
          'counters.nested.deep': 3,
          rank: -1,
        });
        expect(after).toMatchObject({ name: 'keep', rank: -1, counters: { seen: 7, nested: { deep: 3 } } });
        expect(after._etag).not.toBe(created._etag);
        expect(await store.read('shards', tenantId, 'a')).toEqual(after);
      });

      it('concurrent increments lose no update', async () => {
        const tenantId = tenant();
        await store.create<Item>('shards', { id: 'a', tenantId });
        await Promise.all(Array.from({ length: 40 }, () => store.increment('shards', tenantId, 'a', { 'counters.seen': 1 })));
        expect((await store.read<Item>('shards', tenantId, 'a'))?.counters?.seen).toBe(40);
      });

      it('incrementing a missing document is refused with 404', async () => {
        await expect(store.increment('shards', tenant(), 'ghost', { n: 1 })).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('tenant isolation', () => {
      it("another tenant's documents never come back from read, query, replace or delete", async () => {
        const [mine, theirs] = [tenant(), tenant()];
        await store.create<Item>('shards', { id: 'shared-id', tenantId: mine, name: 'mine' });
        await store.create<Item>('shards', { id: 'shared-id', tenantId: theirs, name: 'theirs' });
        await store.create<Item>('shards', { id: 'only-theirs', tenantId: theirs, name: 'theirs' });

        expect((await store.read<Item>('shards', mine, 'shared-id'))?.name).toBe('mine');
        expect(await store.read('shards', mine, 'only-theirs')).toBeUndefined();
        const page = await store.query<Item>('shards', mine);
        expect(page.items.map((i) => [i.id, i.name])).toEqual([['shared-id', 'mine']]);
        const filtered = await store.query<Item>('shards', mine, { filters: [{ path: 'name', op: '=', value: 'theirs' }] });
        expect(filtered.items).toEqual([]);

        expect(await store.delete('shards', mine, 'only-theirs')).toBe(false);
        await store.delete('shards', mine, 'shared-id');
        expect((await store.read<Item>('shards', theirs, 'shared-id'))?.name).toBe('theirs');
      });
    });

    describe('query', () => {
      it('filters by equality, inequality, ranges, booleans and nested paths', async () => {
        const tenantId = tenant();
        await seed(tenantId, 6, (i) => ({
          name: i % 2 === 0 ? 'even' : 'odd',
          rank: i,
          active: i < 3,
          counters: { seen: i * 10 },
        }));
        const ids = async (filters: NonNullable<Parameters<Store['query']>[2]>['filters']) =>
          (await store.query<Item>('shards', tenantId, { filters })).items.map((item) => item.id);

        expect(await ids([{ path: 'name', op: '=', value: 'even' }])).toEqual(['d000', 'd002', 'd004']);
        expect(await ids([{ path: 'name', op: '!=', value: 'even' }])).toEqual(['d001', 'd003', 'd005']);
        expect(await ids([{ path: 'rank', op: '>=', value: 2 }, { path: 'rank', op: '<', value: 4 }])).toEqual(['d002', 'd003']);
        expect(await ids([{ path: 'active', op: '=', value: true }])).toEqual(['d000', 'd001', 'd002']);
        expect(await ids([{ path: 'counters.seen', op: '>', value: 30 }])).toEqual(['d004', 'd005']);
        // Values of different JSON types never match: no coercion of 1 to '1' or true.
        expect(await ids([{ path: 'rank', op: '=', value: '1' }])).toEqual([]);
        expect(await ids([{ path: 'rank', op: '=', value: true }])).toEqual([]);
        expect(await ids([{ path: 'name', op: '>', value: 0 }])).toEqual([]);
      });

      it('in matches a value equal to any of the given ones, without coercion', async () => {
        const tenantId = tenant();
        await seed(tenantId, 4, (i) => ({ name: ['new', 'old', 'other', '1'][i], rank: i }));
        const ids = async (values: ReadonlyArray<string | number | boolean>) =>
          (await store.query<Item>('shards', tenantId, { filters: [{ path: 'name', op: 'in', values }] })).items.map((item) => item.id);

        expect(await ids(['new', 'old'])).toEqual(['d000', 'd001']);
        expect(await ids(['old'])).toEqual(['d001']);
        expect(await ids([1, true])).toEqual([]);
        expect(await ids([])).toEqual([]);
        expect(await store.count('shards', tenantId, { filters: [{ path: 'rank', op: 'in', values: [0, 2, 9] }] })).toBe(2);
      });

      it('arrayContains matches an element having all the given fields', async () => {
        const tenantId = tenant();
        await store.create<Item>('shards', { id: 'a', tenantId, tags: [{ system: 'woo', code: '1' }, { system: 'crm', code: '2' }] });
        await store.create<Item>('shards', { id: 'b', tenantId, tags: [{ system: 'woo', code: '2' }] });
        await store.create<Item>('shards', { id: 'c', tenantId });
        const ids = async (match: Record<string, string>) =>
          (await store.query<Item>('shards', tenantId, { filters: [{ path: 'tags', op: 'arrayContains', match }] })).items.map(
            (item) => item.id,
          );
        expect(await ids({ system: 'woo', code: '2' })).toEqual(['b']);
        expect(await ids({ system: 'woo' })).toEqual(['a', 'b']);
        expect(await ids({ system: 'crm', code: '1' })).toEqual([]);
      });

      it('defined matches documents having a value at the path, an explicit null included, and its negation those lacking one', async () => {
        const tenantId = tenant();
        await store.create<Item & { gone?: string | null }>('shards', { id: 'a', tenantId, gone: '2026-01-01T00:00:00.000Z' });
        await store.create<Item & { gone?: string | null }>('shards', { id: 'b', tenantId, gone: null });
        await store.create<Item>('shards', { id: 'c', tenantId });
        const ids = async (defined: boolean) =>
          (await store.query<Item>('shards', tenantId, { filters: [{ path: 'gone', op: 'defined', defined }] })).items.map((item) => item.id);
        expect(await ids(true)).toEqual(['a', 'b']);
        expect(await ids(false)).toEqual(['c']);
        expect(await store.count('shards', tenantId, { filters: [{ path: 'gone', op: 'defined', defined: false }] })).toBe(1);
      });

      it('a filter on an array element by index matches', async () => {
        const tenantId = tenant();
        await store.create<Item>('shards', { id: 'a', tenantId, tags: [{ system: 'woo', code: '7' }] });
        await store.create<Item>('shards', { id: 'b', tenantId, tags: [{ system: 'crm', code: '7' }] });
        const page = await store.query<Item>('shards', tenantId, { filters: [{ path: 'tags.0.system', op: '=', value: 'crm' }] });
        expect(page.items.map((item) => item.id)).toEqual(['b']);
      });

      it('orders by id ascending by default and by a field in either direction', async () => {
        const tenantId = tenant();
        await seed(tenantId, 5, (i) => ({ rank: (i * 3) % 5 })); // ranks 0,3,1,4,2
        expect((await store.query<Item>('shards', tenantId)).items.map((i) => i.id)).toEqual(['d000', 'd001', 'd002', 'd003', 'd004']);
        const desc = await store.query<Item>('shards', tenantId, { orderBy: { path: 'rank', direction: 'desc' } });
        expect(desc.items.map((i) => i.rank)).toEqual([4, 3, 2, 1, 0]);
        const asc = await store.query<Item>('shards', tenantId, { orderBy: { path: 'rank', direction: 'asc' } });
        expect(asc.items.map((i) => i.rank)).toEqual([0, 1, 2, 3, 4]);
      });

      it('continuation pages through many pages without losing or repeating a document', async () => {
        const tenantId = tenant();
        await seed(tenantId, 23, (i) => ({ rank: i % 4 })); // many ties on rank
        const byId = await allPages(tenantId, {}, 5);
        expect(byId.pages).toBe(5);
        expect(byId.ids).toEqual(Array.from({ length: 23 }, (_, i) => `d${String(i).padStart(3, '0')}`));

        for (const direction of ['asc', 'desc'] as const) {
          const byRank = await allPages(tenantId, { orderBy: { path: 'rank', direction } }, 4);
          expect(new Set(byRank.ids).size).toBe(23);
          expect(byRank.ids).toHaveLength(23);
          const ranks = await Promise.all(byRank.ids.map(async (id) => (await store.read<Item>('shards', tenantId, id))?.rank));
          const sign = direction === 'asc' ? 1 : -1;
          expect(ranks).toEqual([...ranks].sort((x, y) => sign * ((x ?? 0) - (y ?? 0))));
        }
      });

      it('paging stays consistent while documents are inserted between pages', async () => {
        const tenantId = tenant();
        await seed(tenantId, 10);
        const first = await store.query<Item>('shards', tenantId, {}, { maxItems: 4 });
        expect(first.continuationToken).toBeDefined();
        // One lands before the cursor (must not appear now), one after it (must appear once).
        await store.create<Item>('shards', { id: 'd000a', tenantId });
        await store.create<Item>('shards', { id: 'd008a', tenantId });
        const seen = first.items.map((i) => i.id);
        let token = first.continuationToken;
        while (token) {
          const page = await store.query<Item>('shards', tenantId, {}, { maxItems: 4, continuationToken: token });
          seen.push(...page.items.map((i) => i.id));
          token = page.continuationToken;
        }
        expect(seen).toEqual(['d000', 'd001', 'd002', 'd003', 'd004', 'd005', 'd006', 'd007', 'd008', 'd008a', 'd009']);
      });

      it('the last page carries no continuation token', async () => {
        const tenantId = tenant();
        await seed(tenantId, 3);
        const page = await store.query<Item>('shards', tenantId, {}, { maxItems: 3 });
        expect(page.items).toHaveLength(3);
        expect(page.continuationToken).toBeUndefined();
      });
    });

    describe('count', () => {
      it('counts the documents the filters match, past one page, and only this tenant\'s in this container', async () => {
        const tenantId = tenant();
        await seed(tenantId, 1200, (i) => ({ name: i % 3 === 0 ? 'third' : 'rest', rank: i }));
        await store.create<Item>('shards', { id: 'd000', tenantId: tenant(), name: 'third' });
        await store.create<Item>('lookups', { id: 'x', tenantId, name: 'third' });

        expect(await store.count('shards', tenantId)).toBe(1200);
        expect(await store.count('shards', tenantId, { filters: [{ path: 'name', op: '=', value: 'third' }] })).toBe(400);
        expect(await store.count('shards', tenantId, { filters: [{ path: 'name', op: '=', value: 'third' }, { path: 'rank', op: '<', value: 30 }] })).toBe(10);
        expect(await store.count('shards', tenantId, { filters: [{ path: 'name', op: '=', value: 'none' }] })).toBe(0);
        expect(await store.count('shards', tenant())).toBe(0);
      });

      it('counts with arrayContains filters as query matches them, the order making no difference', async () => {
        const tenantId = tenant();
        await store.create<Item>('shards', { id: 'a', tenantId, rank: 1, tags: [{ system: 'woo', code: '1' }, { system: 'crm', code: '2' }] });
        await store.create<Item>('shards', { id: 'b', tenantId, rank: 2, tags: [{ system: 'woo', code: '2' }] });
        await store.create<Item>('shards', { id: 'c', tenantId, rank: 3 });
        const tagged = (match: Record<string, string>) => [{ path: 'tags', op: 'arrayContains' as const, match }];

        expect(await store.count('shards', tenantId, { filters: tagged({ system: 'woo' }) })).toBe(2);
        expect(await store.count('shards', tenantId, { filters: tagged({ system: 'woo', code: '2' }) })).toBe(1);
        expect(await store.count('shards', tenantId, { filters: tagged({ system: 'crm', code: '1' }) })).toBe(0);
        expect(await store.count('shards', tenantId, { filters: tagged({ system: 'woo' }), orderBy: { path: 'rank', direction: 'desc' } })).toBe(2);
      });
    });

    describe('ttl', () => {
      it('an expired document disappears from read and query and its id can be created again', async () => {
        const tenantId = tenant();
        await store.create<Item>('shards', { id: 'short', tenantId, ttl: 1, name: 'old' });
        await store.create<Item>('shards', { id: 'forever', tenantId, ttl: -1 });
        await store.create<Item>('shards', { id: 'plain', tenantId });
        expect(await store.read('shards', tenantId, 'short')).toBeDefined();

        await new Promise((resolve) => setTimeout(resolve, 1200));

        expect(await store.read('shards', tenantId, 'short')).toBeUndefined();
        expect([...(await store.readMany('shards', tenantId, ['short', 'forever', 'plain'])).keys()].sort()).toEqual(['forever', 'plain']);
        expect((await store.query<Item>('shards', tenantId)).items.map((i) => i.id)).toEqual(['forever', 'plain']);
        expect(await store.count('shards', tenantId)).toBe(2);
        const again = await store.create<Item>('shards', { id: 'short', tenantId, name: 'new' });
        expect(again.name).toBe('new');
      });
    });

    describe('batch', () => {
      it('applies every operation together', async () => {
        const tenantId = tenant();
        const existing = await store.create<Item>('shards', { id: 'e', tenantId, name: 'e' });
        await store.create<Item>('shards', { id: 'gone', tenantId });
        await store.batch('shards', tenantId, [
          { op: 'create', doc: { id: 'n', tenantId } },
          { op: 'replace', doc: { ...existing, name: 'e2' } as Item, ifMatch: existing._etag },
          { op: 'upsert', doc: { id: 'u', tenantId } },
          { op: 'increment', id: 'n', increments: { 'counters.seen': 2 } },
          { op: 'delete', id: 'gone' },
        ]);
        const { items } = await store.query<Item>('shards', tenantId);
        expect(items.map((i) => [i.id, i.name, i.counters?.seen])).toEqual([
          ['e', 'e2', undefined],
          ['n', undefined, 2],
          ['u', undefined, undefined],
        ]);
      });

      it('a failing operation leaves nothing written and names its index', async () => {
        const tenantId = tenant();
        const existing = await store.create<Item>('shards', { id: 'e', tenantId, name: 'before' });
        const error = await store
          .batch('shards', tenantId, [
            { op: 'create', doc: { id: 'new', tenantId } },
            { op: 'upsert', doc: { ...existing, name: 'changed' } as Item },
            { op: 'create', doc: { id: 'e', tenantId } },
            { op: 'create', doc: { id: 'after', tenantId } },
          ])
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BatchError);
        expect((error as BatchError).operationIndex).toBe(2);
        expect((error as BatchError).cause).toBeInstanceOf(ConflictError);
        const stored: Stored<Item>[] = (await store.query<Item>('shards', tenantId)).items;
        expect(stored).toEqual([existing]);
      });

      it("a batch carrying another tenant's document is refused at its index and writes nothing", async () => {
        const tenantId = tenant();
        const error = await store
          .batch('shards', tenantId, [
            { op: 'create', doc: { id: 'mine', tenantId } },
            { op: 'upsert', doc: { id: 'theirs', tenantId: tenant() } },
          ])
          .catch((e: unknown) => e);
        expect((error as BatchError).operationIndex).toBe(1);
        expect((error as BatchError).cause).toMatchObject({ statusCode: 400 });
        expect((await store.query<Item>('shards', tenantId)).items).toEqual([]);
      });

      it('a stale etag inside a batch fails it with 412 at that index', async () => {
        const tenantId = tenant();
        const v1 = await store.create<Item>('shards', { id: 'a', tenantId, name: 'v1' });
        await store.replace<Item>('shards', { ...v1, name: 'v2' });
        const error = await store
          .batch('shards', tenantId, [
            { op: 'increment', id: 'a', increments: { rank: 1 } },
            { op: 'replace', doc: { ...v1, name: 'lost' } as Item, ifMatch: v1._etag },
          ])
          .catch((e: unknown) => e);
        expect((error as BatchError).operationIndex).toBe(1);
        expect((error as BatchError).cause).toBeInstanceOf(PreconditionFailedError);
        expect(await store.read<Item>('shards', tenantId, 'a')).toMatchObject({ name: 'v2' });
        expect((await store.read<Item>('shards', tenantId, 'a'))?.rank).toBeUndefined();
      });
    });
  });
}
