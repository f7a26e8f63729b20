import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { DEMO_CREDENTIALS } from '../../dev/demoSetup.js';
import { verifyAlertSignature } from '../../shared/core/operations/alertSignature.js';
import { demoCustomersTask } from './customersTask.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { apiClient } from './apiClient.js';

const signingSecret = 'whsec_finished_0123456789abcdef';

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: Date;
}

/** A tenant's webhook receiver on loopback: keeps every request as received. */
async function startReceiver(): Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: new Date() });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `execution.finished` through the real host: one signed notification per run, with its counts. */
describe('execution finished webhooks', () => {
  let host: HostProcess;
  let fake: FakeWooCommerce;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let api: AdminClient;

  beforeAll(async () => {
    receiver = await startReceiver();
    fake = await startFakeWooCommerce({ seed: 5, counts: { customers: 12, products: 0, orders: 0 }, ...DEMO_CREDENTIALS });
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await demoCustomersTask(api, fake.url);
    await api.ok('PUT', 'tenants/demo', { name: 'Demo', settings: { alerts: { url: receiver.url, format: 'json', executionFinished: true }, alertSigningSecret: signingSecret } });
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
    await receiver?.close();
  });

  const finished = () => receiver.deliveries.filter((delivery) => delivery.headers['x-shardsync-event'] === 'execution.finished');

  it('sends exactly one signed execution.finished per run, with its counts', async () => {
    expect(finished()).toEqual([]);
    const views = [];
    for (const mode of ['full', 'full', 'incremental']) {
      const accepted = await api.ok('POST', 'tenants/demo/tasks/customers/executions', { mode });
      views.push(await api.waitForExecution('demo', accepted.executionId));
    }
    expect(views.map((view) => view.status)).toEqual(['success', 'success', 'success']);
    expect(views[0].counts).toMatchObject({ created: 12 });
    expect(views[1].counts).toMatchObject({ unchanged: 12 });

    const deadline = Date.now() + 15_000;
    while (finished().length < views.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    // Time for a duplicate to arrive, should one be sent.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const deliveries = finished();
    expect(deliveries).toHaveLength(views.length);

    for (const view of views) {
      const matching = deliveries.filter((delivery) => JSON.parse(delivery.body).data.executionId === view.id);
      expect(matching).toHaveLength(1);
      const [delivery] = matching;
      expect(verifyAlertSignature(signingSecret, delivery!.headers, delivery!.body, delivery!.receivedAt)).toBe(true);
      // The signature covers the exact bytes: one changed byte fails it, so the check above is not vacuous.
      expect(verifyAlertSignature(signingSecret, delivery!.headers, delivery!.body.replace('"success"', '"succes5"'), delivery!.receivedAt)).toBe(false);
      const payload = JSON.parse(delivery!.body);
      expect(payload).toMatchObject({
        id: delivery!.headers['x-shardsync-delivery'],
        type: 'execution.finished',
        tenantId: 'demo',
        occurredAt: view.finishedAt,
        data: { executionId: view.id, taskId: 'customers', status: 'success', counts: view.counts, startedAt: view.startedAt, finishedAt: view.finishedAt },
      });
    }
    // Successful runs raise no failure alert.
    expect(receiver.deliveries).toHaveLength(views.length);
  });
});
