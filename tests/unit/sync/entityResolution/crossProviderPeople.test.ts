import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { hubSpotProvider } from '../../../../shared/connectors/hubspot/hubSpotProvider.js';
import { HUBSPOT_BUILTIN_SCHEMAS } from '../../../../shared/connectors/hubspot/hubSpotBuiltinSchemas.js';
import { wooCommerceProvider } from '../../../../shared/connectors/woocommerce/wooCommerceProvider.js';
import { BUILTIN_SCHEMAS } from '../../../../shared/connectors/woocommerce/wooCommerceBuiltinSchemas.js';
import { defaultDedupeRules } from '../../../../shared/core/dedupe/defaultDedupeRules.js';
import { ids } from '../../../../shared/core/ids.js';
import type { Shard } from '../../../../shared/core/schemas/shard.js';
import { saveDedupeRules } from '../../../../shared/sync/entityResolution/dedupeRuleSets.js';
import { getShard } from '../../../../shared/sync/queries/shardQueries.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import type { SqliteBus } from '../../../../shared/adapters/embedded/sqliteBus.js';
import { startFakeHubSpot, type FakeHubSpot } from '../../../../dev/fakes/hubspot/fakeHubSpot.js';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../../../dev/fakes/fakeWooCommerce.js';
import { DEMO_CREDENTIALS } from '../../../../dev/demoSetup.js';
import { embeddedDeps } from '../embeddedDeps.js';
import { syncedView } from '../syncFixture.js';

const hubSpotToken = 'pat-na1-cross-provider-test';

interface WooCustomer {
  email: string;
  first_name: string;
  last_name: string;
  billing: { phone: string; company: string; city: string; postcode: string; country: string };
}

/**
 * One person as the shop and the CRM each hold them: the shop's e-mail upper-cased or padded, its
 * phone in national format (the CRM's international), a nickname, a phone only one side has.
 */
interface SharedPerson {
  woo: WooCustomer;
  hubSpot: Record<string, string>;
}

const address = (city: string, postcode: string, country: string) => ({ city, postcode, country });

const shared: SharedPerson[] = [
  {
    woo: { email: 'ADA.LOVELACE@EXAMPLE.COM', first_name: 'Ada', last_name: 'Lovelace', billing: { phone: '020 7946 0018', company: 'Analytical Engines', ...address('London', 'W1A 1AA', 'gb') } },
    hubSpot: { email: ' ada.lovelace@example.com ', firstname: 'Ada', lastname: 'Lovelace', phone: '+44 20 7946 0018', company: 'Analytical Engines' },
  },
  {
    woo: { email: ' grace.hopper@example.com', first_name: 'Grace', last_name: 'Hopper', billing: { phone: '(202) 555-0143', company: 'Navy', ...address('Arlington', '22202', 'US') } },
    hubSpot: { email: 'Grace.Hopper@Example.com', firstname: 'Grace', lastname: 'Hopper', phone: '202.555.0143', company: 'US Navy' },
  },
  {
    woo: { email: 'william.turing@example.org', first_name: 'William', last_name: 'Turing', billing: { phone: '+1 415 555 0101', company: '', ...address('Austin', '73301', 'US') } },
    hubSpot: { email: 'William.Turing@example.org', firstname: 'Bill', lastname: 'Turing', phone: '4155550101' },
  },
  {
    woo: { email: 'edsger@example.nl', first_name: 'Edsger', last_name: 'Dijkstra', billing: { phone: '020 555 0199', company: 'Eindhoven', ...address('Nuenen', '5671', 'NL') } },
    hubSpot: { email: 'EDSGER@EXAMPLE.NL', firstname: 'Edsger', lastname: 'Dijkstra', company: 'Eindhoven' },
  },
  {
    woo: { email: 'barbara.liskov@example.edu', first_name: 'Barbara', last_name: 'Liskov', billing: { phone: '', company: 'MIT', ...address('Cambridge', '02139', 'US') } },
    hubSpot: { email: 'barbara.liskov@example.edu', firstname: 'Barbara', lastname: 'Liskov', phone: '+1 617 555 0134', company: 'MIT' },
  },
  {
    woo: { email: 'Don.Knuth@Example.edu ', first_name: 'Donald', last_name: 'Knuth', billing: { phone: '650-555-0175', company: 'Stanford University', ...address('Stanford', '94305', 'us') } },
    hubSpot: { email: 'don.knuth@example.edu', firstname: 'Don', lastname: 'Knuth', phone: '+16505550175', company: 'Stanford' },
  },
];

const onlyInShop: WooCustomer[] = [
  { email: 'frances.allen@example.com', first_name: 'Frances', last_name: 'Allen', billing: { phone: '(914) 555-0162', company: 'IBM', ...address('Yorktown Heights', '10598', 'US') } },
  { email: 'ken@example.com', first_name: 'Ken', last_name: 'Thompson', billing: { phone: '908 555 0110', company: 'Bell Labs', ...address('Murray Hill', '07974', 'US') } },
];

const onlyInCrm: Record<string, string>[] = [
  { email: 'margaret.hamilton@example.com', firstname: 'Margaret', lastname: 'Hamilton', phone: '+1 617 555 0188', company: 'MIT Instrumentation Lab' },
  { email: 'dmr@example.com', firstname: 'Dennis', lastname: 'Ritchie', company: 'Bell Labs' },
];

const distinctPeople = shared.length + onlyInShop.length + onlyInCrm.length;

interface Tenant {
  deps: SyncDeps;
  bus: SqliteBus;
  /** Shop customer ids, shared people first, in the order of `shared` then `onlyInShop`. */
  shopIds: string[];
  /** CRM contact ids, in the order of `shared` then `onlyInCrm`. */
  crmIds: string[];
}

describe('the same people in WooCommerce and HubSpot', () => {
  let db: SqliteDatabase | undefined;
  let shop: FakeWooCommerce | undefined;
  let crm: FakeHubSpot | undefined;
  afterEach(async () => {
    await shop?.close();
    await crm?.close();
    db?.close();
    shop = undefined;
    crm = undefined;
    db = undefined;
  });

  /** A tenant with both connections, the built-in schemas, the default customer rules and one task per connection. */
  async function setUp(): Promise<Tenant> {
    db = openDatabase(':memory:');
    const deps = embeddedDeps(db, { providers: [wooCommerceProvider, hubSpotProvider] });
    const wooPeople = [...shared.map((person) => person.woo), ...onlyInShop];
    shop = await startFakeWooCommerce({ seed: 7, counts: { customers: wooPeople.length, products: 0, orders: 0 }, ...DEMO_CREDENTIALS });
    // Every seeded customer becomes one of the people above: nothing random is left to match on.
    const shopIds = wooPeople.map((person, index) => String(shop!.updateRecord('customers', index + 1, { ...person }).id));
    crm = await startFakeHubSpot({ accessToken: hubSpotToken, rateLimit: { max: 100_000 } });
    const crmIds = [...shared.map((person) => person.hubSpot), ...onlyInCrm].map((properties) => crm!.create('contacts', properties).id);

    await putTenant(deps, 't1', {});
    await saveConnection(deps, 't1', { provider: 'woocommerce', settings: { baseUrl: shop.url }, credentials: DEMO_CREDENTIALS }, 'shop');
    await saveConnection(deps, 't1', { provider: 'hubspot', settings: { baseUrl: crm.url }, credentials: { token: hubSpotToken } }, 'crm');
    await saveConversionSchema(deps, 't1', BUILTIN_SCHEMAS['woocommerce/customers'], 'shop-customers');
    await saveConversionSchema(deps, 't1', HUBSPOT_BUILTIN_SCHEMAS['hubspot/contacts'], 'crm-contacts');
    await saveDedupeRules(deps, 't1', defaultDedupeRules.customer, 'customer');
    await saveSyncTask(deps, 't1', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'shop-customers' }] }, 'shop-task');
    await saveSyncTask(deps, 't1', { connectionId: 'crm', streams: [{ stream: 'contacts', schemaId: 'crm-contacts' }] }, 'crm-task');
    return { deps, bus: deps.bus, shopIds, crmIds };
  }

  const customers = async ({ deps }: Tenant) =>
    (await deps.store.query<Shard>('shards', 't1', { filters: [{ path: 'shardType', op: '=', value: 'customer' }] }, { maxItems: 1000 })).items;
  const sources = (shard: Pick<Shard, 'externalRelationships'>) => shard.externalRelationships.map((r) => `${r.connectionId}/${r.stream}/${r.externalId}`).sort();

  async function expectOneShardPerPerson(tenant: Tenant): Promise<void> {
    const all = await customers(tenant);
    expect(all).toHaveLength(distinctPeople);
    expect(tenant.shopIds).toHaveLength(shared.length + onlyInShop.length);
    expect(tenant.crmIds).toHaveLength(shared.length + onlyInCrm.length);
    for (const [index, person] of shared.entries()) {
      // Either record's own id leads to the person's one shard, whichever of them survived.
      const viaShop = await getShard(tenant.deps, 't1', ids.shardFor('shop', 'customers', tenant.shopIds[index]!));
      const viaCrm = await getShard(tenant.deps, 't1', ids.shardFor('crm', 'contacts', tenant.crmIds[index]!));
      expect(viaCrm.id, person.woo.last_name).toBe(viaShop.id);
      expect(sources(viaShop), person.woo.last_name).toEqual([`crm/contacts/${tenant.crmIds[index]}`, `shop/customers/${tenant.shopIds[index]}`]);
      expect(viaShop.data.email).toBe(person.woo.email.trim().toLowerCase());
    }
    const loners = [
      ...tenant.shopIds.slice(shared.length).map((id) => ids.shardFor('shop', 'customers', id)),
      ...tenant.crmIds.slice(shared.length).map((id) => ids.shardFor('crm', 'contacts', id)),
    ];
    expect(loners).toHaveLength(onlyInShop.length + onlyInCrm.length);
    for (const shardId of loners) expect((await getShard(tenant.deps, 't1', shardId)).externalRelationships).toHaveLength(1);
  }

  it.each([
    { first: 'shop-task', second: 'crm-task', firstCount: shared.length + onlyInShop.length, secondNew: onlyInCrm.length },
    { first: 'crm-task', second: 'shop-task', firstCount: shared.length + onlyInCrm.length, secondNew: onlyInShop.length },
  ])('one customer shard per person, the shared ones holding both records, when $first runs before $second', async ({ first, second, firstCount, secondNew }) => {
    const tenant = await setUp();
    expect((await syncedView(tenant, first)).counts).toMatchObject({ created: firstCount, merged: 0, failed: 0 });
    expect((await syncedView(tenant, second)).counts).toMatchObject({ created: secondNew, merged: shared.length, failed: 0 });
    await expectOneShardPerPerson(tenant);
    // Re-running either side finds its records where they were merged and writes nothing.
    expect((await syncedView(tenant, first)).counts).toMatchObject({ created: 0, merged: 0, updated: 0, failed: 0 });
    expect((await syncedView(tenant, second)).counts).toMatchObject({ created: 0, merged: 0, updated: 0, failed: 0 });
    await expectOneShardPerPerson(tenant);
  });
});
