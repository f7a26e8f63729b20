import type { SourceRecord } from '../connector.js';

/**
 * Where each value of a contact's `primary` view lives in the Person: the first item of a list
 * field. The view exists because a shard field is written back only to a plain path (no list
 * index), and Google keeps every value in a list.
 */
export const PRIMARY_FIELDS = {
  givenName: { list: 'names', key: 'givenName' },
  familyName: { list: 'names', key: 'familyName' },
  email: { list: 'emailAddresses', key: 'value' },
  phone: { list: 'phoneNumbers', key: 'value' },
  company: { list: 'organizations', key: 'name' },
} as const satisfies Record<string, { list: string; key: string }>;
export type PrimaryField = keyof typeof PRIMARY_FIELDS;

export const isPrimaryField = (name: string): name is PrimaryField => Object.hasOwn(PRIMARY_FIELDS, name);

/** The Person as Google serves it, plus `primary`: the first item's values, where present. A tombstone gets none. */
export function withPrimary(record: SourceRecord): SourceRecord {
  const primary: Record<string, unknown> = {};
  for (const [name, { list, key }] of Object.entries(PRIMARY_FIELDS)) {
    const items = record[list];
    const first: unknown = Array.isArray(items) ? items[0] : undefined;
    const value = typeof first === 'object' && first !== null ? (first as Record<string, unknown>)[key] : undefined;
    if (value !== undefined) primary[name] = value;
  }
  return Object.keys(primary).length > 0 ? { ...record, primary } : record;
}
