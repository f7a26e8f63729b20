/**
 * A map that keeps its `capacity` most recently used entries: reading an entry or writing it makes
 * it the newest, and a write past the capacity drops the oldest, handing it to `onEvict` (to
 * close what it holds, say). Replacing or deleting an entry hands nothing over: the caller who
 * does it knows what the old value needs.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(
    readonly capacity: number,
    private readonly onEvict: (value: V, key: K) => void = () => {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`an LRU cache needs a capacity of at least 1, not ${capacity}`);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    this.#refresh(key, value);
    return value;
  }

  has(key: K): boolean {
    const present = this.#entries.has(key);
    if (present) this.#refresh(key, this.#entries.get(key) as V);
    return present;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size <= this.capacity) return;
    // A Map iterates in insertion order, and every use re-inserts: the first key is the least recently used.
    const [oldestKey, oldest] = this.#entries.entries().next().value as [K, V];
    this.#entries.delete(oldestKey);
    this.onEvict(oldest, oldestKey);
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  #refresh(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
  }
}
