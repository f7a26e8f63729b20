import { afterEach, describe, expect, it } from 'vitest';
import { labeledRecords } from '../../../../dev/fakes/labeledDuplicates.js';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import type { MatchDecision } from '../../../../shared/core/dedupe/bestMatch.js';
import { BLOCK_CAPACITY } from '../../../../shared/core/dedupe/blockEntries.js';
import { blockingKeys } from '../../../../shared/core/dedupe/blockingKeys.js';
import { person, retyped, rules } from '../../core/dedupe/people.js';
import type { EntityRecord } from '../../../../shared/core/dedupe/resolutionCandidate.js';
import { ids } from '../../../../shared/core/ids.js';
import type { LookupBlock, StoredLayout } from '../../../../shared/core/schemas/lookups/entityIndex.js';
import { findMatch, indexEntity, removeFromIndex, resolveEntities, resolveEntity } from '../../../../shared/sync/entityResolution/entityIndex.js';
import { embeddedDeps } from '../embeddedDeps.js';

const T = 't1';

describe('entity index', () => {
  let db: SqliteDatabase;
  afterEach(() => db?.close());
  const setUp = () => {
    db = openDatabase(':memory:');
    return embeddedDeps(db);
  };
  const block = (deps: ReturnType<typeof setUp>, key: string) => deps.store.read<LookupBlock>('lookups', T, ids.dedupeBlock('customer', key));
  const etags = async (deps: ReturnType<typeof setUp>, data: unknown) =>
    Promise.all(blockingKeys(data, rules).map(async (key) => (await block(deps, key))?._etag));

  it('finds a fuzzy duplicate that an earlier call indexed, in a later batch and in a later run', async () => {
    const deps = setUp();
    expect(await resolveEntity(deps, T, rules, { shardId: 'a', data: person(1) })).toEqual({ kind: 'new' });

    const later = await resolveEntities(deps, T, rules, [{ shardId: 'b', data: retyped(1) }]);
    expect(later.decisions[0]).toMatchObject({ kind: 'match', survivorId: 'a' });
    // Another run: a new store on the same database remembers nothing but what the look-ups hold.
    const found = await findMatch(embeddedDeps(db), T, rules, { shardId: 'c', data: retyped(1) });
    expect(found).toMatchObject({ kind: 'match', survivorId: 'a' });
    if (found.kind !== 'match') return;
    expect(found.score).toBeGreaterThanOrEqual(rules.threshold);
    expect(found.matched.map((m) => m.field)).toEqual(expect.arrayContaining(['email', 'phone', 'address.postcode']));
  });

  it('does not take a household member or a namesake for the person', async () => {
    const deps = setUp();
    await resolveEntity(deps, T, rules, { shardId: 'a', data: person(1) });
    const household = { ...person(1), firstName: 'Robert', email: 'bob.johnson@example.com' };
    const namesake = person(2);
    expect(await resolveEntity(deps, T, rules, { shardId: 'b', data: household })).toEqual({ kind: 'new' });
    expect(await resolveEntity(deps, T, rules, { shardId: 'c', data: namesake })).toEqual({ kind: 'new' });
  });

  it('keeps records without blocking fields as entities of their own, never matched and never dropped', async () => {
    const deps = setUp();
    const bare = [{ shardId: 'a', data: { firstName: 'Bob' } }, { shardId: 'b', data: { firstName: 'Bob' } }];
    expect((await resolveEntities(deps, T, rules, bare)).decisions).toEqual([{ kind: 'new' }, { kind: 'new' }]);
    expect(await resolveEntity(deps, T, rules, { shardId: 'c', data: { firstName: 'Bob' } })).toEqual({ kind: 'new' });
  });

  it('stops adding to a full block; later records are still resolved, through their other blocks', async () => {
    const deps = setUp();
    const neighbours = { firstName: 'John', lastName: 'Smith', address: { city: 'San Francisco', postcode: '94100', country: 'US' } };
    const namesakes = Array.from({ length: BLOCK_CAPACITY + 5 }, (_, i) => ({ shardId: `s${i}`, data: person(i, neighbours) }));
    const { decisions } = await resolveEntities(deps, T, rules, namesakes);
    expect(decisions).toHaveLength(namesakes.length);
    expect(decisions.every((decision) => decision.kind === 'new')).toBe(true);
    const full = await block(deps, 'postcodeName:94100|SM0');
    expect(full?.entries.map((entry) => entry.shardId)).toEqual(namesakes.slice(0, BLOCK_CAPACITY).map((n) => n.shardId));

    const late = namesakes.at(-1)!;
    expect(await resolveEntity(deps, T, rules, { shardId: 'dup', data: { ...late.data, email: late.data.email.toUpperCase() } })).toMatchObject({
      kind: 'match',
      survivorId: late.shardId,
    });
  });

  it('is idempotent: resolving an indexed record again decides the same and writes nothing', async () => {
    const deps = setUp();
    const entity = { shardId: 'a', data: person(1) };
    await resolveEntity(deps, T, rules, entity);
    const before = await etags(deps, entity.data);
    expect(before.length).toBeGreaterThan(0);
    expect(before).not.toContain(undefined);
    expect(await resolveEntity(deps, T, rules, entity)).toEqual({ kind: 'new' });
    expect((await resolveEntities(deps, T, rules, [entity, entity])).decisions).toEqual([{ kind: 'new' }, { kind: 'new' }]);
    expect(await etags(deps, entity.data)).toEqual(before);
  });

  it('sees, within one batch, the entities the records before it created', async () => {
    const deps = setUp();
    const { decisions } = await resolveEntities(deps, T, rules, [
      { shardId: 'a', data: person(1) },
      { shardId: 'b', data: person(2) },
      { shardId: 'c', data: retyped(1) },
    ]);
    expect(decisions.map((d) => (d.kind === 'match' ? d.survivorId : d.kind))).toEqual(['new', 'new', 'a']);
  });

  it('decides a batch as one record after the other would, across transactions that share blocks', async () => {
    // 200 labeled records: their claims need several transactions of 100 blocks, sharing name and postcode blocks.
    const records = labeledRecords({ people: 90, companies: 1 })
      .filter((record) => record.shardType === 'customer')
      .map((record) => ({ shardId: record.id, data: record.data }));
    const one = setUp();
    const oneByOne: MatchDecision[] = [];
    for (const record of records) oneByOne.push(await resolveEntity(one, T, rules, record));
    db.close();
    const batched = await resolveEntities(setUp(), T, rules, records);
    expect(batched.decisions).toEqual(oneByOne);
    // Alone, a batch never loses a race: each transaction finds the blocks as the previous one left them.
    expect(batched.raced).toBe(0);
    expect(oneByOne.filter((d) => d.kind === 'match').length).toBeGreaterThan(20);
  });

  it('takes a merged-away shard out of its blocks, and moves an updated one from its old blocks to its new ones', async () => {
    const deps = setUp();
    await resolveEntity(deps, T, rules, { shardId: 'a', data: person(1) });
    await removeFromIndex(deps, T, rules, { shardId: 'a', data: person(1) });
    expect(await resolveEntity(deps, T, rules, { shardId: 'b', data: retyped(1) })).toEqual({ kind: 'new' });

    const moved = { ...person(2), email: 'katherine@new.example' };
    await resolveEntity(deps, T, rules, { shardId: 'c', data: person(2) });
    const found = await findMatch(deps, T, rules, { shardId: 'c', data: moved });
    expect(found.kind).toBe('new');
    expect(await indexEntity(deps, T, rules, { shardId: 'c', data: moved, previousData: person(2) }, found.readState)).toBe('indexed');
    expect(await block(deps, 'email:kjohnson2@example.com')).toBeUndefined();
    expect((await block(deps, 'email:katherine@new.example'))?.entries.map((e) => e.shardId)).toEqual(['c']);
  });

  /** An older rule set's slots, and person 1 as entered under them. */
  const OLDER_SLOTS = ['email:email', 'name:firstName', 'name:lastName', 'text:retired'];
  /** Person 1's e-mail block as an older rule set (or an older release: `slots`, a long id) wrote it. */
  const storeOlderBlock = (deps: ReturnType<typeof setUp>, layout: { slots: string[] } | { layout: string }) =>
    deps.store.create<LookupBlock>('lookups', {
      id: ('slots' in layout ? ids.legacyDedupeBlock : ids.dedupeBlock)('customer', blockingKeys(person(1), rules).find((k) => k.startsWith('email:'))!),
      tenantId: T,
      kind: 'dedupe_block',
      shardType: 'customer',
      ...layout,
      entries: [{ shardId: 'old', values: ['kjohnson1@example.com', 'katherine', 'johnson', 'x'] }],
    });

  it('reads entries stored under the slots of an older rule set', async () => {
    const deps = setUp();
    await storeOlderBlock(deps, { slots: OLDER_SLOTS });
    expect(await findMatch(deps, T, rules, { shardId: 'b', data: retyped(1) })).toMatchObject({ kind: 'match', survivorId: 'old' });
  });

  it('a tenant whose blocks predate short ids goes on with long ones; a new tenant gets short ones', async () => {
    const deps = setUp();
    await storeOlderBlock(deps, { slots: OLDER_SLOTS });
    // Another process, as after an upgrade: it finds the older blocks and keeps their spelling.
    const later = embeddedDeps(db);
    expect(await resolveEntity(later, T, rules, { shardId: 'c', data: person(2) })).toEqual({ kind: 'new' });
    const keys = blockingKeys(person(2), rules);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(await later.store.read('lookups', T, ids.legacyDedupeBlock('customer', key))).toBeDefined();
    for (const key of keys) expect(await later.store.read('lookups', T, ids.dedupeBlock('customer', key))).toBeUndefined();
    expect(await resolveEntity(later, 't2', rules, { shardId: 'd', data: person(2) })).toEqual({ kind: 'new' });
    for (const key of keys) expect(await later.store.read('lookups', 't2', ids.dedupeBlock('customer', key))).toBeDefined();
  });

  it('stores the layout of the values once per tenant, and blocks name it instead of repeating it', async () => {
    const deps = setUp();
    await resolveEntities(deps, T, rules, [{ shardId: 'a', data: person(1) }, { shardId: 'b', data: person(2) }]);
    const blocks = await Promise.all(blockingKeys(person(1), rules).map((key) => block(deps, key)));
    expect(blocks.length).toBeGreaterThan(0);
    const layoutIds = new Set(blocks.map((doc) => doc?.layout));
    expect(layoutIds.size).toBe(1);
    expect(blocks.every((doc) => doc?.slots === undefined)).toBe(true);
    const layout = await deps.store.read<StoredLayout>('lookups', T, [...layoutIds][0]!);
    expect(layout).toMatchObject({ kind: 'dedupe_layout', slots: expect.arrayContaining(['email:email', 'phone:phone', 'name:firstName']) });
    // Another tenant writing its first block gets the layout in its own partition.
    await resolveEntity(deps, 't2', rules, { shardId: 'c', data: person(3) });
    expect(await deps.store.read<StoredLayout>('lookups', 't2', [...layoutIds][0]!)).toMatchObject({ kind: 'dedupe_layout' });
  });

  it('reads entries written under the stored layout of another rule set', async () => {
    const deps = setUp();
    await deps.store.create<StoredLayout>('lookups', { id: 'layout:older', tenantId: T, kind: 'dedupe_layout', slots: OLDER_SLOTS });
    await storeOlderBlock(deps, { layout: 'layout:older' });
    expect(await findMatch(deps, T, rules, { shardId: 'b', data: retyped(1) })).toMatchObject({ kind: 'match', survivorId: 'old' });
  });

  it('refuses to guess when a block names a layout that is not stored', async () => {
    const deps = setUp();
    await storeOlderBlock(deps, { layout: 'layout:missing' });
    await expect(findMatch(deps, T, rules, { shardId: 'b', data: person(1) })).rejects.toThrow(/layout:missing/);
  });

  describe('two workers creating the same entities at once', () => {
    /** Entities 1..n, each arriving once at either worker. */
    const arrivals = (n: number) => ({
      a: Array.from({ length: n }, (_, i) => ({ shardId: `a${i + 1}`, data: person(i + 1) })),
      b: Array.from({ length: n }, (_, i) => ({ shardId: `b${i + 1}`, data: retyped(i + 1) })),
    });
    /** Per entity, its records that stayed entities of their own; every match must point at that one. */
    function survivorsPerEntity(results: Array<[EntityRecord, MatchDecision]>): Map<string, string[]> {
      const survivors = new Map<string, string[]>();
      for (const [record, decision] of results) {
        const entity = record.shardId.slice(1);
        if (decision.kind === 'new') survivors.set(entity, [...(survivors.get(entity) ?? []), record.shardId]);
      }
      for (const [record, decision] of results) {
        if (decision.kind === 'match') expect(survivors.get(record.shardId.slice(1))).toEqual([decision.survivorId]);
      }
      return survivors;
    }

    it('end with one shard per entity, record by record', async () => {
      setUp();
      const { a, b } = arrivals(30);
      const worker = async (records: EntityRecord[]) => {
        const deps = embeddedDeps(db);
        const results: Array<[EntityRecord, MatchDecision]> = [];
        for (const record of records) results.push([record, await resolveEntity(deps, T, rules, record)]);
        return results;
      };
      const results = (await Promise.all([worker(a), worker(b)])).flat();
      const survivors = survivorsPerEntity(results);
      expect(survivors.size).toBe(30);
      expect([...survivors.values()].every((shards) => shards.length === 1)).toBe(true);
    });

    it('end with one shard per entity, batch by batch, and count the records that lost a race', async () => {
      setUp();
      const { a, b } = arrivals(60);
      const worker = async (records: EntityRecord[]) => {
        const deps = embeddedDeps(db);
        const results: Array<[EntityRecord, MatchDecision]> = [];
        let raced = 0;
        for (let i = 0; i < records.length; i += 20) {
          const batch = records.slice(i, i + 20);
          const resolution = await resolveEntities(deps, T, rules, batch);
          raced += resolution.raced;
          batch.forEach((record, index) => results.push([record, resolution.decisions[index]!]));
        }
        return { results, raced };
      };
      const [left, right] = await Promise.all([worker(a), worker(b)]);
      const survivors = survivorsPerEntity([...left.results, ...right.results]);
      expect(survivors.size).toBe(60);
      expect([...survivors.values()].every((shards) => shards.length === 1)).toBe(true);
      expect(left.raced + right.raced).toBeGreaterThan(0);
    });

    it.each([
      ['absent', false],
      ['already holding someone else', true],
    ])('lose a claim on blocks %s, find again and match the winner', async (_, neighbour) => {
      const deps = setUp();
      // A neighbour in the same postcode and name blocks makes the claim a conditional replace rather than a create.
      if (neighbour) await resolveEntity(deps, T, rules, { shardId: 'n', data: { ...person(1), firstName: 'Robert', email: 'bob@example.com', phone: '+1 415 999 0000' } });
      const workerA = deps;
      const workerB = embeddedDeps(db);
      const mine = { shardId: 'a', data: person(1) };

      const found = await findMatch(workerA, T, rules, mine);
      expect(found.kind).toBe('new');
      expect(await resolveEntity(workerB, T, rules, { shardId: 'b', data: retyped(1) })).toEqual({ kind: 'new' });
      expect(await indexEntity(workerA, T, rules, mine, found.readState)).toBe('raced');
      expect(await findMatch(workerA, T, rules, mine)).toMatchObject({ kind: 'match', survivorId: 'b' });
    });
  });
});
