import type { ConversionSchemaInput } from '../../core/conversion/schema.js';

const trimmed = (from: string, to: string) => ({ from, to, transforms: [{ op: 'trim' as const }] });

/**
 * Built-in conversion schema for the pages of a conventional Notion contacts database (a `Name`
 * title, `Email`, `Phone` and `Company` properties), into the `customer` shard type WooCommerce's
 * and HubSpot's contacts fill, so the same person meets in one shard. A title is rich text in
 * segments; a contact's name is one plain segment, read as is.
 */
export const NOTION_BUILTIN_SCHEMAS = {
  'notion/pages': {
    shardType: 'customer',
    fields: [
      { from: 'id', to: 'externalId' },
      trimmed('properties.Name.title.0.plain_text', 'displayName'),
      { from: 'properties.Email.email', to: 'email', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
      trimmed('properties.Phone.phone_number', 'phone'),
      trimmed('properties.Company.rich_text.0.plain_text', 'company'),
      { from: 'last_edited_time', to: 'sourceModifiedAt', transforms: [{ op: 'date', formats: ['iso'], timeZone: 'UTC' }] },
    ],
    validations: [
      { path: 'email', rule: 'required' },
      { path: 'email', rule: 'email' },
    ],
  },
} as const satisfies Record<string, ConversionSchemaInput>;
