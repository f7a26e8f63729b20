import { derivedFields, nameField, seedFields, serverFields, type QuickBooksEntity, type QuickBooksRecord } from './fakeQuickBooksEntities.js';
import { duplicateName, objectNotFound, requiredParameter, staleObject } from './fakeQuickBooksFaults.js';
import { formatQuickBooksTime } from './fakeQuickBooksTime.js';

/** A stored record and the instants its MetaData shows, kept in milliseconds for comparisons. */
export interface StoredRecord {
  record: QuickBooksRecord;
  createdMs: number;
  updatedMs: number;
}

/** What CDC reports for a deleted record. */
export interface Tombstone {
  id: string;
  deletedMs: number;
}

/**
 * One company's records. Ids count up per entity; every write bumps SyncToken and moves
 * LastUpdatedTime strictly past every earlier write, so "changed since" never misses one.
 */
export class QuickBooksStore {
  private readonly records = new Map<QuickBooksEntity, Map<string, StoredRecord>>();
  private readonly tombstones = new Map<QuickBooksEntity, Tombstone[]>();
  private readonly nextId = new Map<QuickBooksEntity, number>();
  private lastWriteMs = 0;

  constructor(
    private readonly clock: () => number,
    private readonly utcOffsetMinutes: number,
  ) {}

  /** n records modified at scrambled instants over the past `spreadMs`, all before any later write. */
  seed(entity: QuickBooksEntity, n: number, spreadMs: number): QuickBooksRecord[] {
    const now = this.clock();
    const refs = { customerIds: this.ids('Customer'), itemIds: this.ids('Item') };
    const seeded: QuickBooksRecord[] = [];
    for (let i = 0; i < n; i += 1) {
      // A stride coprime with n scrambles modification order against id order.
      const slot = n > 1 ? (i * 7919) % n : 0;
      const at = now - spreadMs + Math.floor(((slot + 1) * spreadMs) / (n + 1));
      seeded.push(this.insert(entity, seedFields(entity, this.ids(entity).length, refs), at));
    }
    this.lastWriteMs = Math.max(this.lastWriteMs, now);
    return seeded;
  }

  create(entity: QuickBooksEntity, body: Record<string, unknown>): QuickBooksRecord {
    return this.insert(entity, writable(entity, body), this.tick());
  }

  /** `sparse` merges the given fields; otherwise the writable fields are replaced wholesale. */
  update(entity: QuickBooksEntity, body: Record<string, unknown>, sparse: boolean): QuickBooksRecord {
    const id = body.Id;
    if (typeof id !== 'string' && typeof id !== 'number') throw requiredParameter('Id');
    const stored = this.table(entity).get(String(id));
    if (!stored) throw objectNotFound(entity, String(id));
    if (body.SyncToken === undefined) throw requiredParameter('SyncToken');
    if (String(body.SyncToken) !== stored.record.SyncToken) throw staleObject();
    const previous = stored.record;
    const fields = sparse ? { ...writable(entity, previous), ...writable(entity, body) } : writable(entity, body);
    const merged = { ...fields, ...derivedFields(entity, fields, previous) };
    this.checkUniqueName(entity, merged, previous.Id);
    const at = this.tick();
    stored.updatedMs = at;
    stored.record = this.shape(previous.Id, String(Number(previous.SyncToken) + 1), merged, stored.createdMs, at);
    return stored.record;
  }

  /** Deletes outright and leaves a tombstone for CDC. */
  remove(entity: QuickBooksEntity, id: string): Tombstone {
    if (!this.table(entity).delete(id)) throw objectNotFound(entity, id);
    const tombstone = { id, deletedMs: this.tick() };
    this.tombstoneList(entity).push(tombstone);
    return tombstone;
  }

  get(entity: QuickBooksEntity, id: string): StoredRecord | undefined {
    return this.table(entity).get(id);
  }

  /** Live records in id order. */
  all(entity: QuickBooksEntity): StoredRecord[] {
    return [...this.table(entity).values()].sort((a, b) => Number(a.record.Id) - Number(b.record.Id));
  }

  deleted(entity: QuickBooksEntity): Tombstone[] {
    return [...this.tombstoneList(entity)];
  }

  format(ms: number): string {
    return formatQuickBooksTime(ms, this.utcOffsetMinutes, false);
  }

  private insert(entity: QuickBooksEntity, fields: Record<string, unknown>, at: number): QuickBooksRecord {
    const merged = { ...fields, ...derivedFields(entity, fields, undefined) };
    this.checkUniqueName(entity, merged, undefined);
    const id = String(this.nextId.get(entity) ?? 1);
    this.nextId.set(entity, Number(id) + 1);
    if (entity === 'Invoice' || entity === 'SalesReceipt') merged.DocNumber ??= String(1000 + Number(id));
    if (entity !== 'Customer' && entity !== 'Item') merged.TxnDate ??= formatQuickBooksTime(at, this.utcOffsetMinutes).slice(0, 10);
    const record = this.shape(id, '0', merged, at, at);
    this.table(entity).set(id, { record, createdMs: at, updatedMs: at });
    return record;
  }

  private shape(id: string, syncToken: string, fields: Record<string, unknown>, createdMs: number, updatedMs: number): QuickBooksRecord {
    const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    return {
      ...defined,
      domain: 'QBO',
      sparse: false,
      Id: id,
      SyncToken: syncToken,
      MetaData: { CreateTime: this.format(createdMs), LastUpdatedTime: this.format(updatedMs) },
    };
  }

  /** QuickBooks compares names case-insensitively (unverified) and answers a clash with 6240. */
  private checkUniqueName(entity: QuickBooksEntity, fields: Record<string, unknown>, selfId: string | undefined): void {
    const field = nameField[entity];
    if (field === undefined) return;
    const name = String(fields[field] ?? '').toLowerCase();
    const holder = [...this.table(entity).values()].find((stored) => stored.record.Id !== selfId && String(stored.record[field] ?? '').toLowerCase() === name);
    if (holder) throw duplicateName(holder.record.Id);
  }

  /** Strictly after the previous write, whatever the clock says. */
  private tick(): number {
    this.lastWriteMs = Math.max(this.clock(), this.lastWriteMs + 1);
    return this.lastWriteMs;
  }

  private ids(entity: QuickBooksEntity): string[] {
    return [...this.table(entity).keys()];
  }

  private table(entity: QuickBooksEntity): Map<string, StoredRecord> {
    let table = this.records.get(entity);
    if (!table) this.records.set(entity, (table = new Map()));
    return table;
  }

  private tombstoneList(entity: QuickBooksEntity): Tombstone[] {
    let list = this.tombstones.get(entity);
    if (!list) this.tombstones.set(entity, (list = []));
    return list;
  }
}

function writable(entity: QuickBooksEntity, body: Record<string, unknown>): Record<string, unknown> {
  // A payment's total is the client's to say; an invoice's is the sum of its lines.
  return Object.fromEntries(Object.entries(body).filter(([key]) => !serverFields.has(key) || (entity === 'Payment' && key === 'TotalAmt')));
}
