import { randomBytes } from 'node:crypto';
import { duplicateEntry, doesNotExist, mandatoryError, timestampMismatch } from './fakeErpNextErrors.js';
import { formatFrappeMicros } from './fakeErpNextTime.js';

/** A document as Frappe keeps it: its fields plus the standard ones. */
export type FrappeDoc = Record<string, unknown> & { name: string; doctype: string; creation: string; modified: string };

/** Fields Frappe sets itself; a write's values for them are ignored (`modified` is checked, not taken). */
const standardFields = new Set(['name', 'doctype', 'creation', 'modified', 'modified_by', 'owner', 'docstatus', 'idx']);

/** What a new document must carry, by DocType (ERPNext's mandatory fields of the built-in ones). */
const mandatory: Record<string, readonly string[]> = {
  Customer: ['customer_name'],
  Item: ['item_code', 'item_group'],
  'Sales Invoice': ['customer'],
};

/**
 * The site's documents by DocType and name. `modified` has microseconds and strictly increases
 * with every write (unless a test sets the instant), as Frappe's `now()` practically does.
 */
export class ErpNextStore {
  private readonly docs = new Map<string, Map<string, FrappeDoc>>();
  private readonly series = new Map<string, number>();
  private lastMicros = 0;

  constructor(
    private readonly clock: () => number,
    private readonly user: string,
  ) {}

  private stamp(atMs?: number): string {
    if (atMs !== undefined) return formatFrappeMicros(Math.round(atMs * 1000));
    this.lastMicros = Math.max(this.clock() * 1000, this.lastMicros + 1);
    return formatFrappeMicros(this.lastMicros);
  }

  private table(doctype: string): Map<string, FrappeDoc> {
    let table = this.docs.get(doctype);
    if (!table) this.docs.set(doctype, (table = new Map()));
    return table;
  }

  /** ERPNext's default naming: customers by name, items by code, invoices by series, anything else by hash. */
  private nameFor(doctype: string, fields: Record<string, unknown>, atMs: number): string {
    if (typeof fields.name === 'string' && fields.name !== '') return fields.name;
    if (doctype === 'Customer') return String(fields.customer_name);
    if (doctype === 'Item') return String(fields.item_code);
    if (doctype === 'Sales Invoice') {
      const next = (this.series.get(doctype) ?? 0) + 1;
      this.series.set(doctype, next);
      return `ACC-SINV-${new Date(atMs).getUTCFullYear()}-${String(next).padStart(5, '0')}`;
    }
    return randomBytes(5).toString('hex');
  }

  insert(doctype: string, fields: Record<string, unknown>, atMs?: number): FrappeDoc {
    for (const field of mandatory[doctype] ?? []) {
      if (fields[field] === undefined || fields[field] === null || fields[field] === '') throw mandatoryError(doctype, field);
    }
    const table = this.table(doctype);
    const name = this.nameFor(doctype, fields, atMs ?? this.clock());
    if (table.has(name)) throw duplicateEntry(doctype, name);
    const at = this.stamp(atMs);
    const own = Object.fromEntries(Object.entries(fields).filter(([key]) => !standardFields.has(key)));
    const doc: FrappeDoc = { name, owner: this.user, creation: at, modified: at, modified_by: this.user, docstatus: 0, idx: 0, ...own, doctype };
    table.set(name, doc);
    return doc;
  }

  /** A save: a `modified` in the body must be the stored one (frappe `check_if_latest`). */
  update(doctype: string, name: string, fields: Record<string, unknown>, atMs?: number): FrappeDoc {
    const doc = this.get(doctype, name);
    if (!doc) throw doesNotExist(doctype, name);
    if (fields.modified !== undefined && String(fields.modified) !== doc.modified) throw timestampMismatch(doc.modified, String(fields.modified));
    const own = Object.fromEntries(Object.entries(fields).filter(([key]) => !standardFields.has(key)));
    const updated: FrappeDoc = { ...doc, ...own, modified: this.stamp(atMs), modified_by: this.user };
    this.table(doctype).set(name, updated);
    return updated;
  }

  remove(doctype: string, name: string): void {
    if (!this.table(doctype).delete(name)) throw doesNotExist(doctype, name);
  }

  get(doctype: string, name: string): FrappeDoc | undefined {
    return this.docs.get(doctype)?.get(name);
  }

  all(doctype: string): FrappeDoc[] {
    return [...(this.docs.get(doctype)?.values() ?? [])];
  }
}
