/** The person fields this fake keeps; each is a list of plain objects as the client sends them. */
export const storedFields = ['names', 'emailAddresses', 'phoneNumbers', 'organizations'] as const;
export type StoredField = (typeof storedFields)[number];
export type ContactFields = Partial<Record<StoredField, Record<string, unknown>[]>>;

export interface StoredContact {
  /** The numeric contact id: the resource name is `people/c<decimal>`, the source id its hex. */
  id: bigint;
  fields: ContactFields;
  /** The change sequence of the last write: sync tokens and etags are built on it. */
  version: number;
  updateTimeMs: number;
  deleted: boolean;
}

const firstNames = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson'];

/**
 * One user's contacts, in memory. Every write takes the next change sequence number, so "changed
 * since token T" is "version > T's sequence"; deletes leave a tombstone for incremental syncs.
 */
export class PeopleStore {
  private readonly contacts = new Map<string, StoredContact>();
  private sequence = 0;
  private nextId = 1_000_000_000_000_000_000n;

  constructor(private readonly now: () => number) {}

  /** The sequence of the latest write: a sync token issued now covers everything up to it. */
  get currentSequence(): number {
    return this.sequence;
  }

  seed(n: number): StoredContact[] {
    const seeded: StoredContact[] = [];
    for (let i = 0; i < n; i += 1) {
      const k = Number(this.nextId % 1000n);
      seeded.push(
        this.create({
          names: [{ givenName: firstNames[k % firstNames.length], familyName: lastNames[(k + i) % lastNames.length] }],
          emailAddresses: [{ value: `contact${k}@example.test`, type: 'work' }],
          phoneNumbers: [{ value: `+1 555 01${String(k % 100).padStart(2, '0')}`, type: 'mobile' }],
          organizations: [{ name: `Company ${k % 50}`, title: 'Engineer' }],
        }),
      );
    }
    return seeded;
  }

  create(fields: ContactFields): StoredContact {
    const id = this.nextId;
    this.nextId += 7_919n;
    const contact: StoredContact = { id, fields: structuredClone(fields), version: 0, updateTimeMs: 0, deleted: false };
    this.touch(contact);
    this.contacts.set(contactKey(id), contact);
    return contact;
  }

  /** Replaces the given fields wholesale, as updateContact does for the fields in its mask. */
  update(key: string, fields: ContactFields): StoredContact | undefined {
    const contact = this.get(key);
    if (!contact) return undefined;
    for (const field of storedFields) {
      if (field in fields) contact.fields[field] = structuredClone(fields[field] ?? []);
    }
    this.touch(contact);
    return contact;
  }

  remove(key: string): StoredContact | undefined {
    const contact = this.get(key);
    if (!contact) return undefined;
    contact.deleted = true;
    contact.fields = {};
    this.touch(contact);
    return contact;
  }

  /** A live contact by `c<decimal>` or `people/c<decimal>`. */
  get(key: string): StoredContact | undefined {
    const contact = this.contacts.get(key.replace(/^people\//, ''));
    return contact && !contact.deleted ? contact : undefined;
  }

  /** Every contact ever held, tombstones included. */
  all(): StoredContact[] {
    return [...this.contacts.values()];
  }

  private touch(contact: StoredContact): void {
    this.sequence += 1;
    contact.version = this.sequence;
    contact.updateTimeMs = this.now();
  }
}

export const contactKey = (id: bigint) => `c${id.toString()}`;
