import type { ConversionSchemaInput } from '../../core/conversion/schema.js';

const trimmed = (from: string, to: string) => ({ from, to, transforms: [{ op: 'trim' as const }] });
const utc = (from: string, to: string) => ({ from, to, transforms: [{ op: 'date' as const, formats: ['iso'], timeZone: 'UTC' }] });

/**
 * Built-in conversion schemas for HubSpot CRM v3 records (`{id, properties: {…}, createdAt,
 * updatedAt, archived}`), into the shard types WooCommerce's fill too: the same person from both
 * meets in one `customer` shard through entity resolution (e-mail, name, phone).
 */
export const HUBSPOT_BUILTIN_SCHEMAS = {
  'hubspot/contacts': {
    shardType: 'customer',
    fields: [
      { from: 'id', to: 'externalId' },
      { from: 'properties.email', to: 'email', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
      trimmed('properties.firstname', 'firstName'),
      trimmed('properties.lastname', 'lastName'),
      trimmed('properties.phone', 'phone'),
      trimmed('properties.company', 'company'),
      utc('updatedAt', 'sourceModifiedAt'),
    ],
    validations: [
      { path: 'email', rule: 'required' },
      { path: 'email', rule: 'email' },
    ],
  },
  'hubspot/companies': {
    shardType: 'company',
    fields: [
      { from: 'id', to: 'externalId' },
      trimmed('properties.name', 'name'),
      { from: 'properties.domain', to: 'domain', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
      utc('updatedAt', 'sourceModifiedAt'),
    ],
    validations: [{ path: 'name', rule: 'required' }],
  },
} as const satisfies Record<string, ConversionSchemaInput>;
