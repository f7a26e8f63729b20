import { isDeepStrictEqual } from 'node:util';
import jsonata from 'jsonata';
import { generateRecord, type DataContext } from '../dev/fakes/fakeWooCommerceData.js';
import { compileSchema } from '../shared/core/conversion/compileSchema.js';
import type { ConversionSchemaInput } from '../shared/core/conversion/schema.js';
import type { Figure } from './benchReport.js';

const RECORDS = 10_000;
const ROUNDS = 5;

/**
 * 20 fields: 12 plain paths (nested ones and a wildcard), 2 trim/case, split, concat, lookup,
 * number, boolean, and a store-local date read in the store's zone (UTC+1, as the fake store's).
 */
const SCHEMA: ConversionSchemaInput = {
  shardType: 'customer',
  fields: [
    { from: 'id', to: 'externalId' },
    { from: 'email', to: 'email' },
    { from: 'username', to: 'username' },
    { from: 'role', to: 'role' },
    { from: 'billing.phone', to: 'phone' },
    { from: 'billing.address_1', to: 'address.street' },
    { from: 'billing.city', to: 'address.city' },
    { from: 'billing.postcode', to: 'address.postcode' },
    { from: 'billing.state', to: 'address.state' },
    { from: 'shipping.city', to: 'shipping.city' },
    { from: 'shipping.postcode', to: 'shipping.postcode' },
    { from: '_links.self[*].href', to: 'links' },
    { from: 'first_name', to: 'firstName', transforms: [{ op: 'trim' }] },
    { from: 'last_name', to: 'lastNameUpper', transforms: [{ op: 'case', mode: 'upper' }] },
    { from: 'billing.phone', to: 'dialCode', transforms: [{ op: 'split', separator: ' ', index: 0 }] },
    { fromAll: ['first_name', 'last_name'], to: 'fullName', transforms: [{ op: 'concat', separator: ' ' }] },
    { from: 'billing.country', to: 'region', transforms: [{ op: 'lookup', map: { US: 'NA', CA: 'NA', GB: 'EU', DE: 'EU', FR: 'EU', NL: 'EU' }, default: 'other' }] },
    { from: 'billing.phone', to: 'phoneDigits', transforms: [{ op: 'number', thousands: ' ' }] },
    { from: 'is_paying_customer', to: 'isPaying', transforms: [{ op: 'boolean' }] },
    { from: 'date_modified', to: 'modifiedAt', transforms: [{ op: 'date', formats: ['iso'], timeZone: 'Etc/GMT-1' }] },
  ],
};

/** The same mapping as one JSONata expression (Etc/GMT-1 is the fixed +01:00 offset). */
const EXPRESSION = `{
  "externalId": id, "email": email, "username": username, "role": role, "phone": billing.phone,
  "address": { "street": billing.address_1, "city": billing.city, "postcode": billing.postcode, "state": billing.state },
  "shipping": { "city": shipping.city, "postcode": shipping.postcode },
  "links": [_links.self.href],
  "firstName": $trim(first_name),
  "lastNameUpper": $uppercase(last_name),
  "dialCode": $split(billing.phone, " ")[0],
  "fullName": $join([first_name, last_name][$ != ""], " "),
  "region": $lookup({"US": "NA", "CA": "NA", "GB": "EU", "DE": "EU", "FR": "EU", "NL": "EU"}, billing.country) ? $lookup({"US": "NA", "CA": "NA", "GB": "EU", "DE": "EU", "FR": "EU", "NL": "EU"}, billing.country) : "other",
  "phoneDigits": $number($replace($replace(billing.phone, " ", ""), "+", "")),
  "isPaying": $boolean(is_paying_customer),
  "modifiedAt": $fromMillis($toMillis(date_modified & "+01:00"))
}`;

/** Best of several rounds, in microseconds per record. */
async function measure(records: readonly unknown[], convert: (record: unknown) => unknown): Promise<number> {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (const record of records) await convert(record);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1000 / records.length);
  }
  return best;
}

/** The compiled conversion schema against the same mapping in JSONata, on the same records. */
export async function transformBench(): Promise<Figure[]> {
  const context: DataContext = { seed: 42, counts: { customers: RECORDS, products: 0, orders: 0 }, storeUrl: 'http://store.test', timezoneOffsetMinutes: 60 };
  const records = Array.from({ length: RECORDS }, (_, i) => generateRecord(context, 'customers', i + 1));
  const compiled = compileSchema(SCHEMA);
  if (compiled.async) throw new Error('transform bench schema should compile to the synchronous path');
  const expression = jsonata(EXPRESSION);

  for (const record of records) {
    const ours = compiled.run(record);
    const theirs: unknown = await expression.evaluate(record);
    if (!ours.ok || ours.warnings.length > 0 || !isDeepStrictEqual(ours.primary.data, JSON.parse(JSON.stringify(theirs)))) {
      throw new Error(`transform bench: outputs differ for customer ${String(record.id)}: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`);
    }
  }

  // The compiled loop is timed without awaits: the sync path is what a batch runs.
  let compiledUs = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (const record of records) compiled.run(record);
    compiledUs = Math.min(compiledUs, Number(process.hrtime.bigint() - started) / 1000 / RECORDS);
  }
  const jsonataUs = await measure(records, (record) => expression.evaluate(record));
  const round2 = (value: number) => Math.round(value * 100) / 100;
  return [
    { bench: 'transform', metric: 'compiled_us_per_record', value: round2(compiledUs), unit: 'us', target: '<= 3' },
    { bench: 'transform', metric: 'jsonata_us_per_record', value: round2(jsonataUs), unit: 'us' },
    { bench: 'transform', metric: 'speedup_vs_jsonata', value: round2(jsonataUs / compiledUs), unit: 'x', target: '>= 30' },
  ];
}
