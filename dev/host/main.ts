import { ConfigError } from '../../shared/configError.js';
import { loadConfig } from '../../shared/config.js';
import { startLocalHost } from './startLocalHost.js';
import type { Runtime } from '../../shared/runtime.js';
import { restartRecordedDemoStore } from '../demoStore.js';

/** `npm start`: the local host on embedded defaults until SIGINT/SIGTERM (and the demo's store, when the demo ran on this data). */
async function main(): Promise<void> {
  // Before the runtime reads its settings: bringing the demo's store back allows its address.
  const demoStore = await restartRecordedDemoStore(loadConfig(), (line) => console.log(line));
  const { host, runtime } = await startLocalHost();
  const data = runtime.config.SHARDSYNC_DATA_DIR;
  // Before the listening line, which callers (tests, scripts) wait for.
  announceAccess(runtime);
  console.log(`shardsync host listening on ${host.url}/api (data: ${data}, ${host.registrations.length} functions)`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping (in-flight messages finish or are abandoned)`);
    // Hard deadline: shutdown must never take longer than 10 s.
    setTimeout(() => process.exit(1), 10_000).unref();
    host.stop().then(
      async () => {
        await demoStore?.close();
        process.exit(0);
      },
      (error: unknown) => {
        console.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** The admin key once, when it is new (and where it is kept); authentication switched off, loudly. */
function announceAccess(runtime: Runtime): void {
  if (runtime.config.SHARDSYNC_AUTH_DISABLED) {
    const line = '!'.repeat(78);
    console.warn(`${line}\n!! AUTHENTICATION IS OFF (SHARDSYNC_AUTH_DISABLED=true): anyone who can reach\n!! ${runtime.config.SHARDSYNC_PORT === 0 ? 'this port' : `port ${runtime.config.SHARDSYNC_PORT}`} is an admin of every tenant. For development only.\n${line}`);
    return;
  }
  const key = runtime.localAdminKey;
  if (!key) return;
  if (key.created) {
    console.log(`admin key (shown once${key.file ? `; kept in ${key.file}` : ', this process only'}): ${key.key}`);
  } else {
    console.log(`admin key: in ${key.file} (send it as Authorization: Bearer <key>)`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
