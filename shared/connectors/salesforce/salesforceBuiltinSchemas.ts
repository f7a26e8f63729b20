import type { ConversionSchemaInput } from '../../core/conversion/schema.js';

const trimmed = (from: string, to: string) => ({ from, to, transforms: [{ op: 'trim' as const }] });
/** Salesforce date-times carry their zone as `+0000`. */
const modstamp = { from: 'SystemModstamp', to: 'sourceModifiedAt', transforms: [{ op: 'date' as const, formats: ['iso'], timeZone: 'UTC' }] };

/**
 * Built-in conversion schemas for Salesforce Contact and Account rows, into the shard types the
 * other providers fill: a contact is a `customer`, linked to its account's `company`.
 */
export const SALESFORCE_BUILTIN_SCHEMAS = {
  'salesforce/contacts': {
    shardType: 'customer',
    fields: [
      { from: 'Id', to: 'externalId' },
      { from: 'Email', to: 'email', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
      trimmed('FirstName', 'firstName'),
      trimmed('LastName', 'lastName'),
      trimmed('Phone', 'phone'),
      { from: 'AccountId', to: 'accountExternalId' },
      modstamp,
    ],
    validations: [
      { path: 'lastName', rule: 'required' },
      { path: 'email', rule: 'email' },
    ],
    relationships: [{ rel: 'company', stream: 'accounts', from: 'AccountId' }],
  },
  'salesforce/accounts': {
    shardType: 'company',
    fields: [
      { from: 'Id', to: 'externalId' },
      trimmed('Name', 'name'),
      { from: 'Website', to: 'website', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
      trimmed('Phone', 'phone'),
      modstamp,
    ],
    validations: [{ path: 'name', rule: 'required' }],
  },
} as const satisfies Record<string, ConversionSchemaInput>;
