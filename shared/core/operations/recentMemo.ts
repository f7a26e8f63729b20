/**
 * Results of recent inputs, for work whose inputs recur (names, phone numbers, field paths) but
 * whose variety has no bound: once it holds `limit` results it drops them all and starts again,
 * which keeps memory bounded without the bookkeeping of an LRU.
 */
export class RecentMemo<K, V> {
  readonly #results = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K, compute: (key: K) => V): V {
    const known = this.#results.get(key);
    if (known !== undefined || this.#results.has(key)) return known as V;
    if (this.#results.size >= this.limit) this.#results.clear();
    const result = compute(key);
    this.#results.set(key, result);
    return result;
  }
}
