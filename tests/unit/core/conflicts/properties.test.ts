import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectConflicts } from '../../../../shared/core/conflicts/conflictDetector.js';
import type { ConflictContext, ConflictHook, ConflictHookRegistry } from '../../../../shared/core/conflicts/customHooks.js';
import { checkEcho } from '../../../../shared/core/conflicts/echoCheck.js';
import { fieldOf, isRecord, sameValue, withChanges } from '../../../../shared/core/conflicts/fieldChanges.js';
import { conflictResolution, resolveConflicts, type ConflictResolution, type Resolution } from '../../../../shared/core/conflicts/resolutionStrategy.js';
import { snapshotOf, type Snapshot } from '../../../../shared/core/conflicts/snapshot.js';

type Data = Record<string, unknown>;

// Few keys, so edits collide often; a dotted key and an inherited name on purpose. Not `__proto__`:
// contentHash (canonicalJson) drops such a key when it re-sorts an object, so hashes cannot see it.
const key = fc.constantFrom('a', 'b', 'c', 'd', 'e.f', 'toString');
const leaf = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3 }), fc.constantFrom('x', 'y'), fc.boolean(), fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }));
const { tree } = fc.letrec<{ tree: unknown; record: Data }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, leaf, tie('record')),
  record: fc.dictionary(key, tie('tree'), { maxKeys: 4, noNullPrototype: true }),
}));
const data: fc.Arbitrary<Data> = fc.dictionary(key, tree, { maxKeys: 5, noNullPrototype: true });

/** Field edits one side makes: a value, or undefined to remove the field. */
interface Edit {
  keys: string[];
  value: unknown;
}
const path = fc.array(key, { minLength: 1, maxLength: 3 });
const newValue = fc.option(tree, { nil: undefined });
const edits = fc.array(fc.record({ keys: path, value: newValue }), { maxLength: 4 });
/** Each side's edits, some of them to the same fields, so that conflicts are common. */
const bothSides = fc
  .record({ local: edits, remote: edits, shared: fc.array(fc.record({ keys: path, local: newValue, remote: newValue }), { maxLength: 3 }) })
  .map(({ local, remote, shared }) => ({
    localEdits: [...local, ...shared.map(({ keys, local: value }) => ({ keys, value }))],
    remoteEdits: [...remote, ...shared.map(({ keys, remote: value }) => ({ keys, value }))],
  }));
const applyEdits = (record: Data, list: readonly Edit[]): Data => withChanges(record, list.map(({ keys, value }) => ({ path: keys.join('.'), keys, value })));

const configKey = fc.constantFrom('a', 'b', 'c', 'd', 'a.b', 'c.a', 'toString');
const strategy = fc.constantFrom('source_wins', 'target_wins', 'newest_wins', 'merge', 'custom');
const settling = fc.constantFrom('source_wins', 'target_wins', 'newest_wins', 'custom');
/** Configs that settle every field (no `manual`), for the properties about both sides ending equal. */
const settlingConfig: fc.Arbitrary<ConflictResolution> = fc
  .record({ strategy, fallback: settling, safeSide: fc.constantFrom('source', 'target'), fields: fc.dictionary(configKey, strategy, { maxKeys: 3 }) })
  .map((input) => conflictResolution.parse(input));
const anyConfig: fc.Arbitrary<ConflictResolution> = fc
  .record({
    strategy: fc.constantFrom('source_wins', 'target_wins', 'newest_wins', 'merge', 'manual', 'custom'),
    fallback: fc.constantFrom('source_wins', 'target_wins', 'newest_wins', 'manual', 'custom'),
    safeSide: fc.constantFrom('source', 'target'),
    fields: fc.dictionary(configKey, fc.constantFrom('source_wins', 'manual', 'merge'), { maxKeys: 3 }),
  })
  .map((input) => conflictResolution.parse(input));
const timestamp = fc.option(fc.constantFrom('2026-03-01T10:00:00Z', '2026-03-01T11:00:00+01:00', '2026-03-02T10:00:00Z', 'not a date'), { nil: undefined });
const context: fc.Arbitrary<ConflictContext> = fc.record({ localModifiedAt: timestamp, remoteModifiedAt: timestamp }).map((times) => ({ stream: 'customers', ...times }));

/** A pure hook that uses every kind of answer but leaves nothing to a person. */
const settlingHook: ConflictHook = (conflict) => {
  const pick = conflict.path.length % 3;
  if (pick === 0) return { take: 'local' };
  if (pick === 1) return { take: 'remote' };
  return { take: 'value', value: [conflict.local ?? null, conflict.remote ?? null] };
};
const hooks: ConflictHookRegistry = new Map([['customers', settlingHook]]);

const resolveSides = (base: Snapshot, local: Snapshot, remote: Snapshot, config: ConflictResolution, ctx: ConflictContext): Resolution =>
  resolveConflicts(detectConflicts(base, local, remote), config, ctx, hooks);

/** The same data with every object's keys in reverse order. */
const reordered = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(reordered) : isRecord(value) ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)])) : value;

const valueAt = (record: unknown, keys: readonly string[]): unknown => keys.reduce<unknown>((node, k) => (isRecord(node) ? fieldOf(node, k) : undefined), record);
const related = (a: readonly string[], b: readonly string[]) => a.slice(0, b.length).every((k, i) => k === b[i]) || b.slice(0, a.length).every((k, i) => k === a[i]);

describe('bidirectional sync properties', () => {
  it('resolution is deterministic, whatever order the fields come in', () => {
    fc.assert(
      fc.property(data, bothSides, anyConfig, context, (base, { localEdits, remoteEdits }, config, ctx) => {
        const [b, l, r] = [base, applyEdits(base, localEdits), applyEdits(base, remoteEdits)].map(snapshotOf) as [Snapshot, Snapshot, Snapshot];
        const first = resolveSides(b, l, r, config, ctx);
        expect(resolveSides(b, l, r, config, ctx)).toEqual(first);
        const shuffled = [b, l, r].map((side) => snapshotOf(reordered(side.data) as Data)) as [Snapshot, Snapshot, Snapshot];
        expect(resolveSides(...shuffled, config, ctx)).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  it('applying the same inbound change twice changes nothing the second time', () => {
    fc.assert(
      fc.property(data, bothSides, anyConfig, context, (base, { localEdits, remoteEdits }, config, ctx) => {
        const remote = snapshotOf(applyEdits(base, remoteEdits));
        const receive = (state: { local: Snapshot; base: Snapshot }) => {
          if (checkEcho(remote.hash, state.base) === 'echo') return { state, toLocal: [] };
          const resolution = resolveSides(state.base, state.local, remote, config, ctx);
          return { state: { local: snapshotOf(resolution.data), base: resolution.received }, toLocal: resolution.toLocal };
        };
        const once = receive({ local: snapshotOf(applyEdits(base, localEdits)), base: snapshotOf(base) });
        const twice = receive(once.state);
        expect(twice.toLocal).toEqual([]);
        expect(twice.state.local.hash).toBe(once.state.local.hash);
        expect(twice.state.base.hash).toBe(once.state.base.hash);
      }),
      { numRuns: 500 },
    );
  });

  it('with merge, edits of different fields on the two sides both survive', () => {
    fc.assert(
      fc.property(data, edits, edits, settlingConfig, context, (base, localEdits, candidateRemoteEdits, config, ctx) => {
        const remoteEdits = candidateRemoteEdits.filter((edit) => !localEdits.some((other) => related(edit.keys, other.keys)));
        const local = applyEdits(base, localEdits);
        const remote = applyEdits(base, remoteEdits);
        const resolution = resolveSides(snapshotOf(base), snapshotOf(local), snapshotOf(remote), { ...config, strategy: 'merge', fields: {} }, ctx);
        expect(resolution.decisions).toEqual([]);
        for (const { keys } of localEdits) expect(sameValue(valueAt(resolution.data, keys), valueAt(local, keys))).toBe(true);
        for (const { keys } of remoteEdits) expect(sameValue(valueAt(resolution.data, keys), valueAt(remote, keys))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('after the write-back and its echo, both sides hold equal data and no further message is produced', () => {
    fc.assert(
      fc.property(data, bothSides, settlingConfig, context, (start, { localEdits, remoteEdits }, config, ctx) => {
        let base = snapshotOf(start);
        let local = snapshotOf(applyEdits(start, localEdits));
        let remote = snapshotOf(applyEdits(start, remoteEdits));
        const messages: string[] = [];

        // The inbound record, unless it is an echo; a local change with nothing inbound takes the same path.
        if (checkEcho(remote.hash, base) === 'changed' || checkEcho(local.hash, base) === 'changed') {
          const resolution = resolveSides(base, local, remote, config, ctx);
          expect(resolution.unresolved).toEqual([]);
          local = snapshotOf(resolution.data);
          base = resolution.received;
          if (resolution.toRemote.length > 0) {
            // The connector writes the fields; the provider echoes the record back.
            remote = snapshotOf(withChanges(remote.data, resolution.toRemote));
            base = resolution.synced;
          }
        }

        expect(sameValue(local.data, remote.data)).toBe(true);
        if (checkEcho(remote.hash, base) === 'changed') messages.push('inbound');
        if (checkEcho(local.hash, base) === 'changed') messages.push('write-back');
        expect(messages).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
