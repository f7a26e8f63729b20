import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { embeddedDeps } from '../embeddedDeps.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { getDedupeRules, saveDedupeRules } from '../../../../shared/sync/entityResolution/dedupeRuleSets.js';
import { defaultDedupeRules } from '../../../../shared/core/dedupe/defaultDedupeRules.js';
import { InvalidInputError } from '../../../../shared/sync/invalidInputError.js';
import { UnknownResourceError } from '../../../../shared/sync/unknownResourceError.js';
import { DEMO_SCHEMAS } from '../../../../dev/demoSetup.js';

describe('de-duplication rule sets', () => {
  let db: SqliteDatabase;
  afterEach(() => db?.close());

  async function setUp() {
    db = openDatabase(':memory:');
    const deps = embeddedDeps(db);
    await putTenant(deps, 't1', {});
    await saveConversionSchema(deps, 't1', DEMO_SCHEMAS.customers, 'customers');
    return deps;
  }
  const issuesOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).issues;
  };

  it('the default customer rules are accepted for the demo customers; saving them again keeps the version', async () => {
    const deps = await setUp();
    const first = await saveDedupeRules(deps, 't1', defaultDedupeRules.customer, 'customer');
    expect(first).toMatchObject({ created: true, ruleSet: { id: 'customer', version: 1 } });
    const again = await saveDedupeRules(deps, 't1', defaultDedupeRules.customer, 'customer');
    expect(again).toMatchObject({ created: false, ruleSet: { version: 1 } });
    expect((await getDedupeRules(deps, 't1', 'customer')).rules.threshold).toBe(defaultDedupeRules.customer.threshold);
  });

  it('a rule set that cannot match is refused with every reason and its path', async () => {
    const deps = await setUp();
    const issues = await issuesOf(
      saveDedupeRules(deps, 't1', {
        ...defaultDedupeRules.customer,
        threshold: 1.5,
        matchers: [{ field: 'shoeSize', kind: 'exact', normalize: 'text', weight: 1 }, ...defaultDedupeRules.customer.matchers],
      }),
    );
    expect(issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'threshold' }),
      expect.objectContaining({ path: 'matchers.0.field', message: expect.stringContaining('unknown field "shoeSize"') }),
    ]));
  });

  it('rules for a shard type no schema produces, or for another type than the path, are refused', async () => {
    const deps = await setUp();
    expect(await issuesOf(saveDedupeRules(deps, 't1', { ...defaultDedupeRules.customer, shardType: 'vendor' }))).toEqual([
      expect.objectContaining({ path: 'shardType', message: expect.stringContaining('no conversion schema') }),
    ]);
    expect(await issuesOf(saveDedupeRules(deps, 't1', defaultDedupeRules.customer, 'company'))).toEqual([expect.objectContaining({ path: 'shardType' })]);
    await expect(getDedupeRules(deps, 't1', 'order')).rejects.toBeInstanceOf(UnknownResourceError);
  });
});
