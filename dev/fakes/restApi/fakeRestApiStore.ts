import { createHash } from 'node:crypto';

export interface FakeRestRecord {
  id: string;
  name: string;
  email: string;
  updated_at: string;
  etag: string;
  [k: string]: unknown;
}

export interface FakeRestPageQuery {
  /** Serve only ids strictly after this one (the decoded cursor). */
  afterId?: string;
  /** Epoch ms: keep records with `updated_at >= updatedSinceMs`. */
  updatedSinceMs?: number;
  limit: number;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * The fake API's records, per collection, in memory. Ids are `<collection>_000001`… so that
 * string order is numeric order; every write gets a fresh etag from a global version counter,
 * so no two versions of any record ever share one.
 */
export class FakeRestStore {
  private readonly records = new Map<string, Map<string, FakeRestRecord>>();
  private readonly nextNumber = new Map<string, number>();
  private version = 0;

  constructor(collections: readonly string[]) {
    for (const collection of collections) {
      this.records.set(collection, new Map());
      this.nextNumber.set(collection, 1);
    }
  }

  has(collection: string): boolean {
    return this.records.has(collection);
  }

  /** Seeded `updated_at`s are spread over the past day in a scrambled order, so id order is not update order. */
  seed(collection: string, n: number): void {
    const records = this.collection(collection);
    const now = Date.now();
    const step = dayMs / Math.max(n, 1);
    for (let i = 0; i < n; i += 1) {
      const id = this.newId(collection);
      // 7919 is prime, so i -> (i * 7919) % n is a permutation whenever n is not a multiple of it.
      const slot = n % 7919 === 0 ? i : (i * 7919) % n;
      const number = id.slice(collection.length + 1);
      records.set(id, {
        id,
        name: `${collection} ${number}`,
        email: `${collection}.${number}@example.test`,
        updated_at: new Date(now - dayMs + Math.floor(slot * step)).toISOString(),
        etag: this.nextEtag(id),
      });
    }
  }

  /** Creates or merges; either way `updated_at` becomes now (or `at`: a bulk import's one instant) and the etag changes. */
  upsert(collection: string, fields: Partial<FakeRestRecord> & { id: string }, at = new Date().toISOString()): FakeRestRecord {
    const records = this.collection(collection);
    const current = records.get(fields.id) ?? { id: fields.id, name: '', email: '' };
    const record: FakeRestRecord = { ...current, ...fields, updated_at: at, etag: this.nextEtag(fields.id) };
    records.set(record.id, record);
    return { ...record };
  }

  /** A record with a server-assigned id, as `POST` makes. */
  create(collection: string, fields: Record<string, unknown>): FakeRestRecord {
    return this.upsert(collection, { name: '', email: '', ...fields, id: this.newId(collection) });
  }

  remove(collection: string, id: string): boolean {
    return this.collection(collection).delete(id);
  }

  get(collection: string, id: string): FakeRestRecord | undefined {
    const record = this.collection(collection).get(id);
    return record ? { ...record } : undefined;
  }

  all(collection: string): FakeRestRecord[] {
    return [...this.collection(collection).values()].sort(byId).map((record) => ({ ...record }));
  }

  /**
   * One page in id order after `afterId`: a keyset page, so records created, changed or removed
   * meanwhile never shift the rest of a read. `hasMore` is whether a matching record follows.
   */
  page(collection: string, query: FakeRestPageQuery): { data: FakeRestRecord[]; hasMore: boolean } {
    const matching = this.all(collection).filter(
      (record) =>
        (query.afterId === undefined || record.id > query.afterId) &&
        (query.updatedSinceMs === undefined || Date.parse(record.updated_at) >= query.updatedSinceMs),
    );
    return { data: matching.slice(0, query.limit), hasMore: matching.length > query.limit };
  }

  private collection(collection: string): Map<string, FakeRestRecord> {
    const records = this.records.get(collection);
    if (!records) throw new Error(`fake REST API: unknown collection ${collection}`);
    return records;
  }

  /** The next free number: a test may have upserted an id that the sequence would reach. */
  private newId(collection: string): string {
    const records = this.collection(collection);
    let number = this.nextNumber.get(collection) ?? 1;
    let id: string;
    do {
      id = `${collection}_${String(number).padStart(6, '0')}`;
      number += 1;
    } while (records.has(id));
    this.nextNumber.set(collection, number);
    return id;
  }

  private nextEtag(id: string): string {
    this.version += 1;
    return createHash('sha256').update(`${id}\u0000${this.version}`).digest('base64url').slice(0, 20);
  }
}

function byId(a: FakeRestRecord, b: FakeRestRecord): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
