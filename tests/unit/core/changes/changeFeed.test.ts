import { describe, expect, it } from 'vitest';
import { decodeChangeCursor, encodeChangeCursor, FEED_START } from '../../../../shared/core/changes/changeCursor.js';
import { changesAfter } from '../../../../shared/core/changes/changePage.js';
import { changesOfWrites, shardChangeBatch } from '../../../../shared/core/changes/shardChange.js';
import type { Shard } from '../../../../shared/core/schemas/shard.js';

const shard = (id: string, version: number, extra: Partial<Shard> = {}) => ({ id, shardType: 'customer', version, ...extra }) as Shard;

describe('change feed decisions', () => {
  it('a cursor round-trips, and anything else is refused', () => {
    const position = { key: '2026-01-01T00:00:00.000Z|chg_x', index: 3 };
    expect(decodeChangeCursor(encodeChangeCursor(position))).toEqual(position);
    expect(decodeChangeCursor(encodeChangeCursor(FEED_START))).toEqual(FEED_START);
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of ['', 'a b', forged({ v: 2, k: '', i: 0 }), forged({ v: 1, k: '', i: 0.5 }), forged({ v: 1, k: '', i: -2 }), forged({ v: 1, k: 1, i: 0 }), forged({ v: 1, k: '', i: 0, x: 1 }), `${encodeChangeCursor(position)}A`]) {
      expect(decodeChangeCursor(cursor), cursor).toBeUndefined();
    }
  });

  it('writes become added, updated and deleted entries; a tombstone rewritten is no news', () => {
    const changes = changesOfWrites(
      [
        { kind: 'create', shard: shard('a', 1) },
        { kind: 'replace', shard: shard('b', 4), ifMatch: 'e1' },
        { kind: 'replace', shard: shard('c', 2, { deletedAt: '2026-01-01T00:00:00Z' }), ifMatch: 'e2' },
        { kind: 'replace', shard: shard('d', 3, { deletedAt: '2026-01-01T00:00:00Z' }), ifMatch: 'e3' },
        { kind: 'delete', shardId: 'e', ifMatch: 'e4' },
        { kind: 'delete', shardId: 'unknown', ifMatch: 'e5' },
      ],
      (id) => (id === 'd' ? { shardType: 'customer', deletedAt: '2025-01-01T00:00:00Z' } : id === 'e' ? { shardType: 'company' } : undefined),
    );
    expect(changes.map(({ fact }) => [fact.kind, fact.shardId, fact.version])).toEqual([
      ['added', 'a', 1],
      ['updated', 'b', 4],
      ['deleted', 'c', 2],
      ['deleted', 'e', undefined],
    ]);
  });

  it('the same changes make the same document; a page resumes inside a document', () => {
    const facts = [1, 2, 3].map((n) => ({ fact: { kind: 'added' as const, shardId: `s${n}`, shardType: 'customer', version: 1 } }));
    const first = shardChangeBatch('t1', facts, '2026-01-01T00:00:00.000Z');
    expect(shardChangeBatch('t1', facts, '2026-01-01T00:00:05.000Z').id).toBe(first.id);
    const second = shardChangeBatch('t1', [{ fact: { kind: 'updated', shardId: 's1', shardType: 'customer', version: 2 } }], '2026-01-01T00:00:01.000Z');
    const documents = [first, second];
    const page1 = changesAfter(documents, FEED_START, 2);
    expect(page1.map((entry) => entry.change.shardId)).toEqual(['s1', 's2']);
    const page2 = changesAfter(documents, page1.at(-1)!.position, 2);
    expect(page2.map((entry) => [entry.change.shardId, entry.change.version])).toEqual([['s3', 1], ['s1', 2]]);
    expect(changesAfter(documents, page2.at(-1)!.position, 2)).toEqual([]);
  });
});
