import { recordId, salesforceDate, sObjects, type FieldValue, type SalesforceRecord, type SObjectType } from './fakeSalesforceSchema.js';

export interface DeletedRecord {
  id: string;
  deletedDate: string;
}

/** Seeded records are stamped from here on: fixed, so `seed` is deterministic. */
export const defaultSeedEpoch = '2024-01-01T00:00:00.000Z';

/**
 * The org's records in memory, per sObject type, and the deletions the `deleted` resource
 * reports. Ids are numbered per type, so seeding twice never collides.
 */
export class FakeSalesforceStore {
  private readonly records = new Map<SObjectType, Map<string, SalesforceRecord>>();
  private readonly deletions = new Map<SObjectType, DeletedRecord[]>();
  private readonly nextNumber = new Map<SObjectType, number>();

  constructor(private readonly seedEpochMs: number) {
    for (const type of Object.keys(sObjects) as SObjectType[]) {
      this.records.set(type, new Map());
      this.deletions.set(type, []);
      this.nextNumber.set(type, 1);
    }
  }

  /**
   * n records with predictable field values. SystemModstamps start at the seed epoch, two
   * records to a second (ties, as bulk loads make), in an order scrambled against id order.
   */
  seed(type: SObjectType, n: number): SalesforceRecord[] {
    const accounts = type === 'Account' ? [] : this.all('Account');
    const seeded: SalesforceRecord[] = [];
    for (let i = 0; i < n; i += 1) {
      const number = this.takeNumber(type);
      // 7919 is prime, so i -> (i * 7919) % n is a permutation whenever n is not a multiple of it.
      const slot = n % 7919 === 0 ? i : (i * 7919) % n;
      const stamp = salesforceDate(this.seedEpochMs + Math.floor(slot / 2) * 1000);
      const accountId = accounts.length > 0 ? (accounts[i % accounts.length] as SalesforceRecord).Id : null;
      const record = { ...stampFields(recordId(type, number), stamp), ...seedFields(type, number, accountId) } as SalesforceRecord;
      this.table(type).set(record.Id, record);
      seeded.push(record);
    }
    return seeded;
  }

  create(type: SObjectType, fields: Record<string, FieldValue>, nowMs: number): SalesforceRecord {
    const id = recordId(type, this.takeNumber(type));
    const blank = Object.fromEntries(sObjects[type].writable.map((field) => [field, null]));
    const record = { ...blank, ...fields, ...stampFields(id, salesforceDate(nowMs)) } as SalesforceRecord;
    this.table(type).set(id, record);
    return record;
  }

  /** Merges fields and bumps LastModifiedDate and SystemModstamp to `atMs`. */
  update(type: SObjectType, id: string, fields: Record<string, FieldValue>, atMs: number): SalesforceRecord | undefined {
    const current = this.get(type, id);
    if (!current) return undefined;
    const stamp = salesforceDate(atMs);
    const record = { ...current, ...fields, Id: current.Id, CreatedDate: current.CreatedDate, LastModifiedDate: stamp, SystemModstamp: stamp } as SalesforceRecord;
    this.table(type).set(current.Id, record);
    return record;
  }

  remove(type: SObjectType, id: string, atMs: number): boolean {
    const current = this.get(type, id);
    if (!current) return false;
    this.table(type).delete(current.Id);
    this.deletionsOf(type).push({ id: current.Id, deletedDate: salesforceDate(atMs) });
    return true;
  }

  /** Salesforce accepts the 15-character id as well as the 18-character one. */
  get(type: SObjectType, id: string): SalesforceRecord | undefined {
    const table = this.table(type);
    if (id.length === 15) return [...table.values()].find((record) => record.Id.startsWith(id));
    return table.get(id);
  }

  all(type: SObjectType): SalesforceRecord[] {
    return [...this.table(type).values()].sort((a, b) => (a.Id < b.Id ? -1 : 1));
  }

  deleted(type: SObjectType, startMs: number, endMs: number): DeletedRecord[] {
    return this.deletionsOf(type).filter((entry) => {
      const at = Date.parse(entry.deletedDate.replace('+0000', 'Z'));
      return at >= startMs && at <= endMs;
    });
  }

  private takeNumber(type: SObjectType): number {
    const number = this.nextNumber.get(type) ?? 1;
    this.nextNumber.set(type, number + 1);
    return number;
  }

  private table(type: SObjectType): Map<string, SalesforceRecord> {
    const table = this.records.get(type);
    if (!table) throw new Error(`fake Salesforce: unknown sObject ${type}`);
    return table;
  }

  private deletionsOf(type: SObjectType): DeletedRecord[] {
    const list = this.deletions.get(type);
    if (!list) throw new Error(`fake Salesforce: unknown sObject ${type}`);
    return list;
  }
}

function stampFields(id: string, stamp: string) {
  return { Id: id, CreatedDate: stamp, LastModifiedDate: stamp, SystemModstamp: stamp };
}

function seedFields(type: SObjectType, number: number, accountId: string | null): Record<string, FieldValue> {
  const n = String(number).padStart(4, '0');
  const phone = `+1 555 01${n}`;
  switch (type) {
    case 'Account':
      return { Name: `Account ${n}`, Website: `https://account-${n}.example.test`, Phone: phone };
    case 'Contact':
      return { FirstName: `First${n}`, LastName: `Last${n}`, Email: `contact${n}@example.test`, Phone: phone, AccountId: accountId };
    case 'Opportunity':
      return { Name: `Opportunity ${n}`, Amount: number * 1000, StageName: 'Prospecting', CloseDate: '2024-06-30', AccountId: accountId };
  }
}
