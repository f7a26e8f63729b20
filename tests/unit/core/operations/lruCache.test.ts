import { describe, expect, it } from 'vitest';
import { LruCache } from '../../../../shared/core/operations/lruCache.js';

describe('LruCache', () => {
  it('keeps its capacity of entries, dropping the least recently used and handing it over', () => {
    const evicted: Array<[string, number]> = [];
    const cache = new LruCache<string, number>(2, (value, key) => void evicted.push([key, value]));
    cache.set('a', 1);
    cache.set('b', 2);
    // Reading 'a' makes 'b' the least recently used.
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(evicted).toEqual([['b', 2]]);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(2);
    // So does asking whether 'a' is there.
    expect(cache.has('a')).toBe(true);
    cache.set('d', 4);
    expect(evicted).toEqual([['b', 2], ['c', 3]]);
    expect([cache.get('a'), cache.get('d')]).toEqual([1, 4]);
  });

  it('hands nothing over when an entry is replaced or deleted', () => {
    const evicted: number[] = [];
    const cache = new LruCache<string, number>(2, (value) => void evicted.push(value));
    cache.set('a', 1);
    cache.set('a', 2);
    expect(cache.get('a')).toBe(2);
    expect(cache.delete('a')).toBe(true);
    expect(cache.has('a')).toBe(false);
    expect(cache.size).toBe(0);
    expect(evicted).toEqual([]);
  });

  it('keeps values that are undefined apart from missing ones', () => {
    const cache = new LruCache<string, undefined>(1);
    cache.set('a', undefined);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
  });

  it('refuses a capacity that could hold nothing', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
