import { it } from 'vitest';
import { startAmqpBroker } from '../../dev/amqpBroker/broker.js';
import { createServiceBusBus } from '../../shared/adapters/azure/serviceBusBus.js';
it('bench', async () => {
  const broker = await startAmqpBroker();
  const bus = createServiceBusBus({ connectionString: broker.connectionString });
  const n = 5000;
  let t = Date.now();
  await bus.publish('sync-batch', Array.from({ length: n }, (_, i) => ({ messageId: `m${i}`, body: { i, p: 'x'.repeat(200) } })));
  console.log('publish ms', Date.now() - t);
  t = Date.now();
  let done = 0;
  while (done < n) {
    const ms = await bus.receive('sync-batch', 16);
    await Promise.all(ms.map((m) => bus.complete('sync-batch', m.lockToken)));
    done += ms.length;
  }
  console.log('consume ms', Date.now() - t, broker.stats()['sync-batch']);
  await bus.close(); await broker.close();
}, 120_000);
