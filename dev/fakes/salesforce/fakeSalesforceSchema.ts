import { SalesforceError } from './fakeSalesforceHttp.js';

export type SObjectType = 'Account' | 'Contact' | 'Opportunity';
export type FieldValue = string | number | boolean | null;
export type SalesforceRecord = Record<string, FieldValue> & { Id: string; CreatedDate: string; LastModifiedDate: string; SystemModstamp: string };

interface SObjectDescription {
  /** The key prefix every id of the type starts with. */
  prefix: string;
  writable: readonly string[];
  /** Required on create, and may not be blanked by an update. */
  required: readonly string[];
}

export const sObjects: Readonly<Record<SObjectType, SObjectDescription>> = {
  Account: { prefix: '001', writable: ['Name', 'Website', 'Phone'], required: ['Name'] },
  Contact: { prefix: '003', writable: ['FirstName', 'LastName', 'Email', 'Phone', 'AccountId'], required: ['LastName'] },
  // CloseDate is required on a real Opportunity, so it is here too.
  Opportunity: { prefix: '006', writable: ['Name', 'Amount', 'StageName', 'CloseDate', 'AccountId'], required: ['Name', 'StageName', 'CloseDate'] },
};

export const systemFields = ['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'] as const;

export function isSObjectType(name: string): name is SObjectType {
  return Object.hasOwn(sObjects, name);
}

/** SOQL and the REST API match field names case-insensitively and answer with the canonical spelling. */
export function canonicalField(type: SObjectType, name: string): string | undefined {
  const lower = name.toLowerCase();
  return [...systemFields, ...sObjects[type].writable].find((field) => field.toLowerCase() === lower);
}

export function allFields(type: SObjectType): string[] {
  return [...systemFields, ...sObjects[type].writable];
}

const checksumAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * An 18-character id: the 15-character case-sensitive id plus Salesforce's case checksum (one
 * character per 5, whose bits mark the upper-case letters), so ids look and verify like real ones.
 */
export function recordId(type: SObjectType, number: number): string {
  const short = `${sObjects[type].prefix}Dn${String(number).padStart(10, '0')}`;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = short[chunk * 5 + i] ?? '';
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += checksumAlphabet[bits];
  }
  return short + suffix;
}

/** Salesforce's datetime format, `2024-01-01T00:00:00.000+0000`. Datetimes are kept to the second, so the milliseconds read `.000`. */
export function salesforceDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('Z', '+0000');
}

/** Epoch ms of an ISO 8601 datetime as Salesforce writes or accepts it (`+0000`, `+00:00` or `Z`), or NaN. */
export function parseSalesforceDate(text: string): number {
  const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?(Z|[+-]\d\d:?\d\d)$/.exec(text);
  if (!iso) return Number.NaN;
  return Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

/**
 * Checks a create or update body as Salesforce does and returns it with canonical field names.
 * Messages follow the real ones for unknown fields, system fields and missing required fields.
 */
export function validateWrite(type: SObjectType, body: Record<string, unknown>, creating: boolean): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === 'attributes') continue;
    const field = canonicalField(type, name);
    if (field === undefined) throw new SalesforceError(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${type}`, [name]);
    if (!sObjects[type].writable.includes(field)) {
      throw new SalesforceError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${field}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [field],
      );
    }
    if (value !== null && typeof value === 'object') throw new SalesforceError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of ${field} from an object or array`);
    fields[field] = value as FieldValue;
  }
  const blank = (field: string) => fields[field] === null || fields[field] === '' || (creating && fields[field] === undefined);
  const missing = sObjects[type].required.filter(blank);
  if (missing.length > 0) throw new SalesforceError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  return fields;
}
