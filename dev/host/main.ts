import { ConfigError } from '../../shared/config.js';
import { startLocalHost } from './startLocalHost.js';

/** `npm start`: the local host on embedded defaults until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const { host, runtime } = await startLocalHost();
  const data = runtime.config.SHARDSYNC_DATA_DIR;
  console.log(`shardsync host listening on ${host.url}/api (data: ${data}, ${host.registrations.length} functions)`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping (in-flight messages finish or are abandoned)`);
    // Hard deadline: shutdown must never take longer than 10 s.
    setTimeout(() => process.exit(1), 10_000).unref();
    host.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
