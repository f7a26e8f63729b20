import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { DEMO_CREDENTIALS, DEMO_SCHEMAS, ensureDemoResources } from '../../dev/demoSetup.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

/** A full inbound sync through the real local host process, the admin API and a fake store. */
describe('inbound sync from WooCommerce into shards', () => {
  let host: HostProcess;
  let fake: FakeWooCommerce;
  let api: AdminClient;
  const counts = { customers: 230, products: 40, orders: 130 };
  const total = counts.customers + counts.products + counts.orders;

  beforeAll(async () => {
    fake = await startFakeWooCommerce({ seed: 7, counts, ...DEMO_CREDENTIALS });
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, fake.url);
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  const run = async (body: unknown = {}) => {
    const accepted = await api.request('POST', 'tenants/demo/tasks/demo-full-sync/executions', body);
    expect(accepted.status).toBe(202);
    return api.waitForExecution('demo', accepted.body.executionId);
  };

  it('a first run creates one shard per record, with counts per stream', async () => {
    const view = await run();
    expect(view.status).toBe('success');
    expect(view.counts).toMatchObject({ fetched: total, created: total, updated: 0, unchanged: 0, failed: 0 });
    expect(view.streams.customers.counts).toMatchObject({ fetched: counts.customers, created: counts.customers });
    expect(view.streams.orders.counts.created).toBe(counts.orders);
    expect(view).toMatchObject({ percent: 100, phase: 'done', etaMs: null, eta: null });
    expect(Date.parse(view.finishedAt)).toBeGreaterThanOrEqual(Date.parse(view.startedAt));

    const customers = await api.ok('GET', 'tenants/demo/shards?type=customer&limit=1000');
    expect(customers.items).toHaveLength(counts.customers);
    const source = fake.getRecord('customers', 5)!;
    const [shard] = (await api.ok('GET', 'tenants/demo/shards?externalId=5&type=customer')).items;
    expect(shard.data).toMatchObject({ email: source.email, firstName: source.first_name, address: { city: (source.billing as any).city } });
    expect(shard.externalRelationships).toEqual([
      expect.objectContaining({ connectionId: 'demo-woo', stream: 'customers', externalId: '5', syncStatus: 'synced' }),
    ]);
    expect(await api.ok('GET', `tenants/demo/shards/${shard.id}`)).toEqual(shard);
  });

  it('a second run over the same data changes nothing and counts everything unchanged', async () => {
    const before = await api.ok('GET', 'tenants/demo/shards?type=customer&externalId=5');
    const view = await run();
    expect(view.counts).toMatchObject({ created: 0, updated: 0, unchanged: total, failed: 0 });
    const after = await api.ok('GET', 'tenants/demo/shards?type=customer&externalId=5');
    expect(after.items[0]).toEqual(before.items[0]);
  });

  it('a record changed at the source updates its shard in place', async () => {
    fake.updateRecord('customers', 5, { first_name: 'Renamed' });
    const view = await run();
    expect(view.counts).toMatchObject({ created: 0, updated: 1, unchanged: total - 1 });
    const { items } = await api.ok('GET', 'tenants/demo/shards?type=customer&externalId=5');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ version: 2, data: { firstName: 'Renamed' } });
  });

  it('orders link to their customer and products, and customers with a company have a company_profile shard that follows the source', async () => {
    const orderId = Array.from({ length: counts.orders }, (_, i) => i + 1).find((id) => Number(fake.getRecord('orders', id)!.customer_id) > 0)!;
    const source = fake.getRecord('orders', orderId) as { customer_id: number; line_items: Array<{ product_id: number }> };
    const [order] = (await api.ok('GET', `tenants/demo/shards?type=order&externalId=${orderId}`)).items;
    const [customer] = (await api.ok('GET', `tenants/demo/shards?type=customer&externalId=${source.customer_id}`)).items;
    expect(order.links).toContainEqual({ rel: 'customer', shardId: customer.id, stream: 'customers', externalId: String(source.customer_id) });
    const productLinks = order.links.filter((link: { rel: string }) => link.rel === 'product');
    expect(productLinks).toHaveLength(new Set(source.line_items.map((line) => line.product_id)).size);
    expect(order.links.some((link: { status?: string }) => link.status === 'pending')).toBe(false);
    const ordersOfCustomer = await api.ok('GET', `tenants/demo/shards?type=order&rel=customer&linkedTo=${customer.id}`);
    expect(ordersOfCustomer.items.map((o: { id: string }) => o.id)).toContain(order.id);

    const withCompany = Array.from({ length: counts.customers }, (_, i) => i + 1).filter((id) => (fake.getRecord('customers', id)!.billing as { company: string }).company !== '');
    const profiles = async () => (await api.ok('GET', 'tenants/demo/shards?type=company_profile&limit=1000')).items;
    expect(await profiles()).toHaveLength(withCompany.length);
    const profileOf = async (customerId: number) => {
      const [primary] = (await api.ok('GET', `tenants/demo/shards?type=customer&externalId=${customerId}`)).items;
      const link = primary.links.find((l: { rel: string }) => l.rel === 'derived');
      return { primary, profileId: link?.shardId as string | undefined };
    };
    const [renamed, dropped] = withCompany;
    const before = await profileOf(renamed!);
    const droppedBefore = await profileOf(dropped!);
    expect(await api.ok('GET', `tenants/demo/shards/${before.profileId}`)).toMatchObject({ shardType: 'company_profile', links: [{ rel: 'derived_from', shardId: before.primary.id }] });

    fake.updateRecord('customers', renamed!, { billing: { company: 'Renamed Holdings' } });
    fake.updateRecord('customers', dropped!, { billing: { company: '' } });
    const view = await run();
    expect(view.counts).toMatchObject({ created: 0, updated: 2, unchanged: total - 2 });

    const after = await profileOf(renamed!);
    expect(after.profileId).toBe(before.profileId);
    expect(await api.ok('GET', `tenants/demo/shards/${after.profileId}`)).toMatchObject({ version: 2, derivedKey: 'Renamed Holdings', data: { name: 'Renamed Holdings' } });
    expect((await profileOf(dropped!)).profileId).toBeUndefined();
    expect((await api.request('GET', `tenants/demo/shards/${droppedBefore.profileId}`)).status).toBe(404);
    expect(await profiles()).toHaveLength(withCompany.length - 1);
  });

  it('the same idempotencyKey returns the same execution', async () => {
    const first = await api.request('POST', 'tenants/demo/tasks/demo-full-sync/executions', { idempotencyKey: 'nightly-1' });
    const second = await api.request('POST', 'tenants/demo/tasks/demo-full-sync/executions', { idempotencyKey: 'nightly-1' });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.executionId).toBe(first.body.executionId);
    expect(first.body.statusUrl).toBe(`/api/tenants/demo/executions/${first.body.executionId}`);
    const view = await api.waitForExecution('demo', first.body.executionId);
    expect(view.counts.unchanged).toBe(total);
    const listed = await api.ok('GET', 'tenants/demo/executions?taskId=demo-full-sync&limit=100');
    expect(listed.items.filter((e: { id: string }) => e.id === first.body.executionId)).toHaveLength(1);
  });

  it('records that fail a required field are failures of the run, listed with the field, and the run goes on', async () => {
    await api.ok('PUT', 'tenants/demo/schemas/strict-customers', {
      ...DEMO_SCHEMAS.customers,
      shardType: 'strict_customer',
      validations: [...DEMO_SCHEMAS.customers.validations, { path: 'company', rule: 'required' }],
    });
    await api.ok('PUT', 'tenants/demo/tasks/strict', { connectionId: 'demo-woo', streams: [{ stream: 'customers', schemaId: 'strict-customers' }] });
    const accepted = await api.ok('POST', 'tenants/demo/tasks/strict/executions', {});
    const view = await api.waitForExecution('demo', accepted.executionId);
    const withCompany = Array.from({ length: counts.customers }, (_, i) => fake.getRecord('customers', i + 1)!).filter(
      (c) => (c.billing as { company: string }).company !== '',
    ).length;
    expect(withCompany).toBeGreaterThan(0);
    expect(view.status).toBe('partial');
    // Same source records ⇒ the same shards (exact de-duplication on the external id): re-shaped, not duplicated.
    expect(view.counts).toMatchObject({ created: 0, updated: withCompany, failed: counts.customers - withCompany });
    expect(view.lastErrors.length).toBeGreaterThan(0);
    expect(view.lastErrors[0]).toMatchObject({ stage: 'transform', errorClass: 'ValidationError', stream: 'customers' });
    expect(view.lastErrors[0].message).toContain('company');
  });
});
