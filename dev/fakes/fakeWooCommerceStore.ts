import {
  baseTimes,
  formatWpDate,
  localDate,
  fakeStreams,
  generateRecord,
  newRecord,
  type DataContext,
  type FakeRecord,
  type FakeStream,
} from './fakeWooCommerceData.js';

export interface ListQuery {
  page: number;
  perPage: number;
  orderby: 'id' | 'date' | 'modified' | 'include';
  order: 'asc' | 'desc';
  /** Exclusive, like WordPress' date_query `after`. */
  modifiedAfterMs?: number;
  modifiedBeforeMs?: number;
  include?: number[];
}

interface Change {
  patch: FakeRecord;
  modifiedMs: number;
}

/**
 * The fake store's state: generated records (ids 1..count) plus the records created, and the
 * changes and deletions made, through the API or the test hooks. Only those are kept in memory;
 * everything else is regenerated.
 */
export class FakeWooCommerceStore {
  /** The id space: generated ids, then created ones. */
  private readonly counts: Record<FakeStream, number>;
  /**
   * How many records generation assumes: orders draw their customers and products from these, so
   * a created customer or product must not move them (it would silently rewrite every order).
   */
  private readonly generatedCounts: Record<FakeStream, number>;
  private readonly created = new Map<FakeStream, Map<number, FakeRecord>>(fakeStreams.map((stream) => [stream, new Map()]));
  private readonly changes = new Map<FakeStream, Map<number, Change>>(fakeStreams.map((stream) => [stream, new Map()]));
  private readonly deleted = new Map<FakeStream, Set<number>>(fakeStreams.map((stream) => [stream, new Set()]));
  /** Per-stream cache of every record's current modification time, for filters and sorting. */
  private readonly modifiedIndex = new Map<FakeStream, Float64Array>();
  private readonly filterCache = new Map<FakeStream, { key: string; ids: number[] }>();
  private readonly context: DataContext;

  constructor(seed: number, counts: Record<FakeStream, number>, storeUrl: string, timezoneOffsetMinutes: number) {
    this.counts = { ...counts };
    this.generatedCounts = { ...counts };
    this.context = { seed, counts: this.generatedCounts, storeUrl, timezoneOffsetMinutes };
  }

  exists(stream: FakeStream, id: number): boolean {
    return Number.isInteger(id) && id >= 1 && id <= this.counts[stream] && !this.deleted.get(stream)!.has(id);
  }

  get(stream: FakeStream, id: number): FakeRecord | undefined {
    if (!this.exists(stream, id)) return undefined;
    const record = this.created.get(stream)!.get(id) ?? generateRecord(this.context, stream, id);
    const change = this.changes.get(stream)!.get(id);
    if (!change) return record;
    return {
      ...merge(record, change.patch),
      date_modified: localDate(change.modifiedMs, this.context),
      date_modified_gmt: formatWpDate(change.modifiedMs),
    };
  }

  list(stream: FakeStream, query: ListQuery): { records: FakeRecord[]; total: number } {
    const start = (query.page - 1) * query.perPage;
    const { ids, total } = this.isPlainRead(stream, query)
      ? this.plainPage(stream, query, start)
      : this.filteredPage(stream, query, start);
    return { records: ids.map((id) => this.get(stream, id)!), total };
  }

  /** Applies `patch` (plain objects merged one level deep, e.g. `{billing: {phone}}`) and bumps date_modified. */
  update(stream: FakeStream, id: number, patch: FakeRecord, nowMs: number): FakeRecord {
    if (!this.exists(stream, id)) throw new Error(`fake WooCommerce has no ${stream} record ${id}`);
    const changes = this.changes.get(stream)!;
    const previous = changes.get(id);
    const current = previous?.modifiedMs ?? baseTimes(this.context.seed, stream, id).modifiedMs;
    // Dates are kept to the second; a change must always move date_modified forward.
    const modifiedMs = Math.max(Math.floor(nowMs / 1000) * 1000, current + 1000);
    const { id: _ignored, ...fields } = patch;
    changes.set(id, { patch: merge(previous?.patch ?? {}, fields), modifiedMs });
    const index = this.modifiedIndex.get(stream);
    if (index) index[id - 1] = modifiedMs;
    this.filterCache.delete(stream);
    return this.get(stream, id)!;
  }

  /** Adds a record with the next id: WooCommerce's defaults for the stream, then `fields` (merged as by update). */
  create(stream: FakeStream, fields: FakeRecord, nowMs: number): FakeRecord {
    const id = this.counts[stream] + 1;
    const createdMs = Math.floor(nowMs / 1000) * 1000;
    this.created.get(stream)!.set(id, newRecord(this.context, stream, id, createdMs));
    const { id: _ignored, ...patch } = fields;
    this.changes.get(stream)!.set(id, { patch, modifiedMs: createdMs });
    this.counts[stream] = id;
    this.modifiedIndex.delete(stream);
    this.filterCache.delete(stream);
    return this.get(stream, id)!;
  }

  delete(stream: FakeStream, id: number): void {
    if (!this.exists(stream, id)) throw new Error(`fake WooCommerce has no ${stream} record ${id}`);
    this.deleted.get(stream)!.add(id);
    this.filterCache.delete(stream);
  }

  /**
   * Brings a deleted record back under its id, as WordPress's untrash does: its content as before,
   * its date_modified moved to now (so an incremental read finds it too).
   */
  restore(stream: FakeStream, id: number, nowMs: number): FakeRecord {
    if (!this.deleted.get(stream)!.delete(id)) throw new Error(`fake WooCommerce has no deleted ${stream} record ${id}`);
    this.filterCache.delete(stream);
    return this.update(stream, id, {}, nowMs);
  }

  setCount(stream: FakeStream, count: number): void {
    this.counts[stream] = count;
    this.generatedCounts[stream] = count;
    this.modifiedIndex.delete(stream);
    this.filterCache.delete(stream);
  }

  /** Full reads in id or date order touch nothing but the page: creation follows ids. */
  private isPlainRead(stream: FakeStream, query: ListQuery): boolean {
    const filtered = query.include !== undefined || query.modifiedAfterMs !== undefined || query.modifiedBeforeMs !== undefined;
    return !filtered && query.orderby !== 'modified' && this.deleted.get(stream)!.size === 0;
  }

  private plainPage(stream: FakeStream, query: ListQuery, start: number): { ids: number[]; total: number } {
    const total = this.counts[stream];
    const length = Math.max(0, Math.min(query.perPage, total - start));
    const ids = Array.from({ length }, (_, offset) => (query.order === 'asc' ? start + offset + 1 : total - start - offset));
    return { ids, total };
  }

  /** Filtered reads page through the same filter: its matches are kept until the data changes. */
  private filteredPage(stream: FakeStream, query: ListQuery, start: number): { ids: number[]; total: number } {
    const key = JSON.stringify([query.orderby, query.order, query.modifiedAfterMs, query.modifiedBeforeMs, query.include]);
    let cached = this.filterCache.get(stream);
    if (cached?.key !== key) {
      cached = { key, ids: this.matchingIds(stream, query) };
      this.filterCache.set(stream, cached);
    }
    return { ids: cached.ids.slice(start, start + query.perPage), total: cached.ids.length };
  }

  private matchingIds(stream: FakeStream, query: ListQuery): number[] {
    const modified = this.modifiedTimes(stream);
    const deleted = this.deleted.get(stream)!;
    const { modifiedAfterMs: after, modifiedBeforeMs: before } = query;
    const ids: number[] = [];
    const candidates = query.include ? [...new Set(query.include)] : undefined;
    const count = candidates?.length ?? this.counts[stream];
    for (let index = 0; index < count; index++) {
      const id = candidates ? candidates[index]! : index + 1;
      if (!Number.isInteger(id) || id < 1 || id > this.counts[stream] || deleted.has(id)) continue;
      if (after !== undefined && !(modified[id - 1]! > after)) continue;
      if (before !== undefined && !(modified[id - 1]! < before)) continue;
      ids.push(id);
    }
    if (query.orderby === 'modified') ids.sort((a, b) => modified[a - 1]! - modified[b - 1]! || a - b);
    else if (query.orderby !== 'include' && candidates) ids.sort((a, b) => a - b);
    if (query.order === 'desc' && query.orderby !== 'include') ids.reverse();
    return ids;
  }

  private modifiedTimes(stream: FakeStream): Float64Array {
    let index = this.modifiedIndex.get(stream);
    if (!index) {
      index = new Float64Array(this.counts[stream]);
      for (let id = 1; id <= index.length; id++) index[id - 1] = baseTimes(this.context.seed, stream, id).modifiedMs;
      for (const [id, change] of this.changes.get(stream)!) if (id <= index.length) index[id - 1] = change.modifiedMs;
      this.modifiedIndex.set(stream, index);
    }
    return index;
  }
}

function merge(target: FakeRecord, patch: FakeRecord): FakeRecord {
  const result: FakeRecord = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const existing = result[key];
    result[key] = isPlainObject(value) && isPlainObject(existing) ? { ...existing, ...value } : value;
  }
  return result;
}

function isPlainObject(value: unknown): value is FakeRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
