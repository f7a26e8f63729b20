import type { ConversionSchemaInput } from '../../core/conversion/schema.js';

const trimmed = (from: string, to: string) => ({ from, to, transforms: [{ op: 'trim' as const }] });

/**
 * Built-in conversion schema for Google People contacts (`{resourceName, etag, names: [{givenName,
 * familyName}], emailAddresses: [{value}], …, metadata: {sources: [{updateTime}]}}`) into the
 * `customer` shards HubSpot and WooCommerce fill too, so the same person meets in one shard. The
 * fields come from the connector's `primary` view (the first item of each list): a plain path, so
 * an edited shard field is written back there.
 */
export const GOOGLE_BUILTIN_SCHEMAS = {
  'google-contacts/contacts': {
    shardType: 'customer',
    fields: [
      { from: 'resourceName', to: 'externalId' },
      { from: 'primary.email', to: 'email', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
      trimmed('primary.givenName', 'firstName'),
      trimmed('primary.familyName', 'lastName'),
      trimmed('primary.phone', 'phone'),
      trimmed('primary.company', 'company'),
      { from: 'metadata.sources.0.updateTime', to: 'sourceModifiedAt', transforms: [{ op: 'date' as const, formats: ['iso'], timeZone: 'UTC' }] },
    ],
    validations: [
      { path: 'email', rule: 'required' },
      { path: 'email', rule: 'email' },
    ],
  },
} as const satisfies Record<string, ConversionSchemaInput>;
