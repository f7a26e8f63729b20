/**
 * A small AMQP 1.0 broker with enough of Service Bus for the real `@azure/service-bus` SDK:
 * plain TCP on 127.0.0.1, SASL ANONYMOUS, any CBS token, in-memory queues. For tests and the demo.
 */
import type { AddressInfo, Server, Socket } from 'node:net';
import rhea from 'rhea';
import { Links } from './links.js';
import type { QueueSettings, QueueStats } from './queueState.js';
import { QueueRegistry } from './queues.js';

export interface AmqpBrokerOptions {
  /** Queues declared up front; others are created on first use unless `autoCreateQueues` is false. */
  queues?: Record<string, Partial<QueueSettings>>;
  /** Settings for auto-created queues and unset fields (Service Bus defaults otherwise). */
  defaults?: Partial<QueueSettings>;
  /** When false, an undeclared queue is answered as a missing entity. Default true. */
  autoCreateQueues?: boolean;
  /** Advertised on every link; the SDK sizes batches by it. Default 256 KiB (Standard tier). */
  maxMessageSizeBytes?: number;
  /** Default 0: any free port. */
  port?: number;
}

export interface AmqpBroker {
  port: number;
  /** For `new ServiceBusClient(connectionString)`. */
  connectionString: string;
  /** Per queue (dead-letter queues listed as `q/$DeadLetterQueue`): work counted at the server. */
  stats(): Record<string, QueueStats>;
  /** Forget every queue and message (declared queues come back empty), e.g. between tests. */
  reset(): void;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startAmqpBroker(options: AmqpBrokerOptions = {}): Promise<AmqpBroker> {
  // Settlement is explicit: incoming messages are accepted only once enqueued. rhea leaves Nagle on
  // for accepted sockets, which costs ~40 ms per request/reply round trip against delayed ACKs.
  const container = rhea.create_container({ id: 'shardsync-amqp-broker', autoaccept: false, tcp_no_delay: true });
  const server: Server = container.listen({ host: HOST, port: options.port ?? 0 });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `sb://${HOST}:${port}/`;

  let links: Links | undefined;
  const queues = new QueueRegistry(endpoint, options, (queue) => links?.pump(queue));
  links = new Links(queues, options.maxMessageSizeBytes ?? 256 * 1024);
  links.listen(container);
  // Without a listener rhea rethrows protocol errors from a misbehaving client and stops the process.
  container.on('error', () => undefined);

  return {
    port,
    connectionString: `Endpoint=sb://${HOST}:${port};SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true`,
    stats: () => queues.stats(),
    reset: () => queues.reset(),
    async close() {
      queues.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
