/** Run the test broker on its own: `node dist/dev/amqpBroker/main.js [port]` prints its connection string. */
import { startAmqpBroker } from './broker.js';

const broker = await startAmqpBroker({ port: Number(process.argv[2] ?? 0) });
console.log(broker.connectionString);
const stop = () => void broker.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
