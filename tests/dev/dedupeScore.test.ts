import { describe, expect, it } from 'vitest';
import { scoreLabeledRecords } from '../../dev/dedupeScore.js';
import { defaultDedupeRules } from '../../shared/core/dedupe/defaultDedupeRules.js';
import { dedupeRules } from '../../shared/core/dedupe/dedupeRules.js';

const address = { city: 'Berlin', postcode: '10115', country: 'DE' };
/** Hand-labeled, not generated: a re-registration with a typo and a local phone format, a nickname, a household. */
const LABELED = [
  { id: 1, cluster: 'anna', data: { email: 'anna.schmidt@example.com', firstName: 'Anna', lastName: 'Schmidt', phone: '+49 30 1234567', address } },
  { id: 2, cluster: 'anna', data: { email: 'Anna.Schmidt@Example.com', firstName: 'Anna', lastName: 'Schmitt', phone: '030 1234567', address } },
  { id: 3, cluster: 'peter', data: { email: 'peter.schmidt@example.com', firstName: 'Peter', lastName: 'Schmidt', phone: '+49 30 1234567', address } },
  { id: 4, cluster: 'bob', data: { email: 'bob.jones@example.org', firstName: 'Bob', lastName: 'Jones', phone: '+1 415 555 0100', address: { city: 'San Francisco', postcode: '94103', country: 'US' } } },
  { id: 5, cluster: 'bob', data: { email: 'robert.jones@work.example', firstName: 'Robert', lastName: 'Jones', phone: '(415) 555-0100', address: { city: 'San Francisco', postcode: '94103', country: 'US' } } },
].map((record) => JSON.stringify(record));

describe('scoring rules on labeled data', () => {
  it('runs the real stage over the records and scores its clusters against the labels', async () => {
    const quality = await scoreLabeledRecords(LABELED, dedupeRules.parse(defaultDedupeRules.customer));
    expect(quality).toMatchObject({ records: 5, truePositives: 2, falsePositives: 0, falseNegatives: 0, f1: 1 });
  });

  it('a line that is not a labeled record is reported with its number', async () => {
    await expect(scoreLabeledRecords([...LABELED, '{"id": 6, "data": {}}'], dedupeRules.parse(defaultDedupeRules.customer))).rejects.toThrow(/line 6: cluster/);
  });
});
