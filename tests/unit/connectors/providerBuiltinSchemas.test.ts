import { describe, expect, it } from 'vitest';
import { HUBSPOT_BUILTIN_SCHEMAS } from '../../../shared/connectors/hubspot/hubSpotBuiltinSchemas.js';
import { SALESFORCE_BUILTIN_SCHEMAS } from '../../../shared/connectors/salesforce/salesforceBuiltinSchemas.js';
import { BUILTIN_SCHEMAS as WOOCOMMERCE_SCHEMAS } from '../../../shared/connectors/woocommerce/wooCommerceBuiltinSchemas.js';
import { compileSchema } from '../../../shared/core/conversion/compileSchema.js';
import { validateSchema } from '../../../shared/core/conversion/validateSchema.js';
import type { ConversionSchemaInput } from '../../../shared/core/conversion/schema.js';
import { defaultDedupeRules } from '../../../shared/core/dedupe/defaultDedupeRules.js';
import { matchScore } from '../../../shared/core/dedupe/matchScore.js';

const run = (schema: ConversionSchemaInput, record: unknown) => {
  const compiled = compileSchema(schema);
  if (compiled.async) throw new Error('built-in schemas are synchronous');
  const result = compiled.run(record);
  if (!result.ok) throw new Error(`conversion failed: ${JSON.stringify(result.issues)}`);
  return result.primary;
};

/** Records shaped as the providers (and their fakes in dev/fakes/) answer them. */
const hubSpotContact = {
  id: '501',
  properties: { email: ' Ada.Lovelace@Example.com ', firstname: 'Ada', lastname: 'Lovelace', phone: '+44 20 7946 0018', company: 'Analytical Engines', lastmodifieddate: '2026-01-02T03:04:05.678Z' },
  createdAt: '2025-12-01T00:00:00.000Z',
  updatedAt: '2026-01-02T03:04:05.678Z',
  archived: false,
};
const salesforceContact = {
  attributes: { type: 'Contact', url: '/services/data/v62.0/sobjects/Contact/003000000000001AAA' },
  Id: '003000000000001AAA',
  FirstName: 'Ada',
  LastName: 'Lovelace',
  Email: 'ada.lovelace@example.com',
  Phone: '+442079460018',
  AccountId: '001000000000001AAA',
  SystemModstamp: '2026-01-02T03:04:05.000+0000',
};

describe('built-in HubSpot and Salesforce schemas', () => {
  it('are valid', () => {
    const schemas = [...Object.values(HUBSPOT_BUILTIN_SCHEMAS), ...Object.values(SALESFORCE_BUILTIN_SCHEMAS)];
    expect(schemas.length).toBe(4);
    for (const schema of schemas) expect(validateSchema(schema)).toMatchObject({ ok: true });
  });

  it('map a HubSpot contact and company into customer and company shards', () => {
    expect(run(HUBSPOT_BUILTIN_SCHEMAS['hubspot/contacts'], hubSpotContact)).toMatchObject({
      shardType: 'customer',
      data: { externalId: '501', email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines', sourceModifiedAt: '2026-01-02T03:04:05.678Z' },
    });
    const company = { id: '77', properties: { name: ' Analytical Engines ', domain: 'Engines.Example' }, updatedAt: '2026-01-01T00:00:00.000Z' };
    expect(run(HUBSPOT_BUILTIN_SCHEMAS['hubspot/companies'], company)).toMatchObject({ shardType: 'company', data: { name: 'Analytical Engines', domain: 'engines.example' } });
  });

  it('map a Salesforce contact, its +0000 modstamp read as UTC, and an account', () => {
    expect(run(SALESFORCE_BUILTIN_SCHEMAS['salesforce/contacts'], salesforceContact)).toMatchObject({
      shardType: 'customer',
      data: { externalId: '003000000000001AAA', email: 'ada.lovelace@example.com', lastName: 'Lovelace', accountExternalId: '001000000000001AAA', sourceModifiedAt: '2026-01-02T03:04:05.000Z' },
    });
    const account = { Id: '001000000000001AAA', Name: 'Analytical Engines', Website: 'https://Engines.Example', Phone: '+44 20 7946 0000', SystemModstamp: '2026-01-01T00:00:00.000+0000' };
    expect(run(SALESFORCE_BUILTIN_SCHEMAS['salesforce/accounts'], account)).toMatchObject({ shardType: 'company', data: { name: 'Analytical Engines', website: 'https://engines.example' } });
  });

  it('the same person from WooCommerce, HubSpot and Salesforce, with the usual variations, is one customer to the default rules', () => {
    const woo = run(WOOCOMMERCE_SCHEMAS['woocommerce/customers'], {
      id: 12,
      email: 'ADA.LOVELACE@EXAMPLE.COM',
      first_name: 'Ada ',
      last_name: 'Lovelace',
      billing: { phone: '020 7946 0018', company: 'Analytical Engines', city: 'London', postcode: 'W1', country: 'gb' },
      is_paying_customer: true,
      date_modified_gmt: '2026-01-01T00:00:00',
    }).data;
    const hubSpot = run(HUBSPOT_BUILTIN_SCHEMAS['hubspot/contacts'], hubSpotContact).data;
    const salesforce = run(SALESFORCE_BUILTIN_SCHEMAS['salesforce/contacts'], salesforceContact).data;
    const rules = defaultDedupeRules.customer;
    expect(matchScore(woo, hubSpot, rules).isMatch).toBe(true);
    expect(matchScore(hubSpot, salesforce, rules).isMatch).toBe(true);
    expect(matchScore(woo, salesforce, rules).isMatch).toBe(true);
    // Someone else with the same surname is not.
    const other = run(HUBSPOT_BUILTIN_SCHEMAS['hubspot/contacts'], { ...hubSpotContact, id: '502', properties: { ...hubSpotContact.properties, email: 'byron@example.com', firstname: 'George', phone: '+44 20 7946 0999' } }).data;
    expect(matchScore(woo, other, rules).isMatch).toBe(false);
  });
});
