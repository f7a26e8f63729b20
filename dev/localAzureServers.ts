import { startCosmosServer, type CosmosServer } from './cosmosServer.js';
import { startAmqpBroker, type AmqpBroker } from './amqpBroker/broker.js';

export type StoreChoice = 'embedded' | 'cosmos';
export type BusChoice = 'embedded' | 'servicebus';

export interface LocalAzureServers {
  cosmos?: CosmosServer;
  broker?: AmqpBroker;
  /** The settings that point the runtime at these servers. */
  settings: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the local stand-ins the chosen adapters need — the in-memory Cosmos DB server and the
 * AMQP test broker, both on 127.0.0.1 — so the demo and benchmarks can run the real Azure SDK
 * adapters without Azure.
 */
export async function startLocalAzureServers(choice: { store: StoreChoice; bus: BusChoice }): Promise<LocalAzureServers> {
  const settings: Record<string, string> = { SHARDSYNC_STORE: choice.store, SHARDSYNC_BUS: choice.bus };
  const cosmos = choice.store === 'cosmos' ? await startCosmosServer() : undefined;
  if (cosmos) {
    Object.assign(settings, {
      COSMOS_ENDPOINT: cosmos.endpoint,
      COSMOS_KEY: cosmos.key,
      COSMOS_ENSURE: 'true',
      COSMOS_TEST_SERVER: 'true',
    });
  }
  const broker = choice.bus === 'servicebus' ? await startAmqpBroker() : undefined;
  if (broker) settings.ServiceBusConnection = broker.connectionString;
  return {
    ...(cosmos ? { cosmos } : {}),
    ...(broker ? { broker } : {}),
    settings,
    close: async () => {
      await broker?.close();
      await cosmos?.close();
    },
  };
}
