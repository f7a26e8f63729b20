export const hubSpotObjectTypes = ['contacts', 'companies', 'deals'] as const;
export type HubSpotObjectType = (typeof hubSpotObjectTypes)[number];

/** A record as the API serves it: every property value is a string (or null when unset). */
export interface HubSpotRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

/** Contacts keep their modification time in `lastmodifieddate`, every other object in `hs_lastmodifieddate`. */
export const modifiedProperty = (type: HubSpotObjectType) => (type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate');

/** The properties an object has in this fake: writing any other is PROPERTY_DOESNT_EXIST. */
export const writableProperties: Record<HubSpotObjectType, readonly string[]> = {
  contacts: ['email', 'firstname', 'lastname', 'phone', 'company'],
  companies: ['name', 'domain'],
  deals: ['dealname', 'amount'],
};

/** Set by HubSpot itself; writing them is READ_ONLY_VALUE. */
export const readOnlyProperties = (type: HubSpotObjectType) => ['createdate', modifiedProperty(type), 'hs_object_id'];

/** What a read without `properties` returns (HubSpot's defaults for these objects, restricted to what this fake has). */
export const defaultProperties: Record<HubSpotObjectType, readonly string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: ['amount', 'createdate', 'dealname', 'hs_lastmodifieddate', 'hs_object_id'],
};

const firstIds: Record<HubSpotObjectType, number> = { contacts: 101, companies: 5_001, deals: 9_001 };
const firstNames = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson'];
const dayMs = 24 * 60 * 60 * 1000;

/**
 * The fake portal's records, in memory, ids numeric strings in creation order. Every write takes
 * a fresh instant from a clock that never repeats, so "modified after the last one seen" finds
 * every write, as it would on HubSpot at ms resolution with distinct writes.
 */
export class HubSpotStore {
  private readonly records = new Map<HubSpotObjectType, Map<string, HubSpotRecord>>(hubSpotObjectTypes.map((type) => [type, new Map()]));
  private readonly nextId = new Map<HubSpotObjectType, number>(hubSpotObjectTypes.map((type) => [type, firstIds[type]]));
  private lastStampMs = 0;

  /**
   * n records with deterministic properties; their modification times are spread over the past
   * day in a scrambled order (id order is not modification order) and lie before any later write.
   */
  seed(type: HubSpotObjectType, n: number): HubSpotRecord[] {
    const now = this.stampMs();
    const step = Math.max(1, Math.floor(dayMs / Math.max(n, 1)));
    const seeded: HubSpotRecord[] = [];
    for (let i = 0; i < n; i += 1) {
      // 7919 is prime, so i -> (i * 7919) % n is a permutation whenever n is not a multiple of it.
      const slot = n % 7919 === 0 ? i : (i * 7919) % n;
      const modifiedMs = now - dayMs + slot * step;
      const id = this.takeId(type);
      seeded.push(this.insert(type, id, seedProperties(type, Number(id)), modifiedMs - dayMs, modifiedMs));
    }
    return seeded;
  }

  create(type: HubSpotObjectType, properties: Record<string, string>): HubSpotRecord {
    const at = this.stampMs();
    return this.insert(type, this.takeId(type), properties, at, at);
  }

  /** Merges properties (an empty string clears one) and bumps the modification time. */
  update(type: HubSpotObjectType, id: string, properties: Record<string, string>): HubSpotRecord | undefined {
    const record = this.get(type, id);
    if (!record) return undefined;
    const at = iso(this.stampMs());
    for (const [name, value] of Object.entries(properties)) record.properties[name] = value === '' ? null : value;
    record.properties[modifiedProperty(type)] = at;
    record.updatedAt = at;
    return record;
  }

  archive(type: HubSpotObjectType, id: string): HubSpotRecord | undefined {
    const record = this.get(type, id);
    if (!record || record.archived) return undefined;
    const at = iso(this.stampMs());
    record.archived = true;
    record.archivedAt = at;
    record.updatedAt = at;
    return record;
  }

  get(type: HubSpotObjectType, id: string): HubSpotRecord | undefined {
    return this.records.get(type)?.get(id);
  }

  /** Every record of the type, archived ones included, in id order. */
  all(type: HubSpotObjectType): HubSpotRecord[] {
    return [...(this.records.get(type)?.values() ?? [])];
  }

  /** The first record whose property equals value (`idProperty` reads, e.g. by email). */
  findBy(type: HubSpotObjectType, property: string, value: string): HubSpotRecord | undefined {
    return this.all(type).find((record) => record.properties[property]?.toLowerCase() === value.toLowerCase());
  }

  private insert(type: HubSpotObjectType, id: string, properties: Record<string, string>, createdMs: number, modifiedMs: number): HubSpotRecord {
    const createdAt = iso(createdMs);
    const updatedAt = iso(modifiedMs);
    const record: HubSpotRecord = {
      id,
      properties: { ...properties, createdate: createdAt, [modifiedProperty(type)]: updatedAt, hs_object_id: id },
      createdAt,
      updatedAt,
      archived: false,
    };
    this.records.get(type)?.set(id, record);
    return record;
  }

  private takeId(type: HubSpotObjectType): string {
    const id = this.nextId.get(type) ?? firstIds[type];
    this.nextId.set(type, id + 1);
    return String(id);
  }

  private stampMs(): number {
    this.lastStampMs = Math.max(Date.now(), this.lastStampMs + 1);
    return this.lastStampMs;
  }
}

function seedProperties(type: HubSpotObjectType, n: number): Record<string, string> {
  const pick = (list: readonly string[]) => list[n % list.length] as string;
  if (type === 'contacts') {
    return {
      email: `contact${n}@example.test`,
      firstname: pick(firstNames),
      lastname: pick(lastNames),
      phone: `+1 555 01${String(n % 100).padStart(2, '0')}`,
      company: `Company ${n % 50}`,
    };
  }
  if (type === 'companies') return { name: `Company ${n}`, domain: `company${n}.example.test` };
  return { dealname: `Deal ${n}`, amount: String((n % 97) * 250) };
}

const iso = (ms: number) => new Date(ms).toISOString();
