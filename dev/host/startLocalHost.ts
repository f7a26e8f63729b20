import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeRuntime, getRuntime, type Runtime } from '../../shared/runtime.js';
import { startHost, type RunningHost } from './host.js';

/** The project root: this file runs from dist/dev/host/. */
export const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The local host on the process's runtime (embedded defaults unless settings say otherwise):
 * function files and host share one runtime because they import the same runtime module.
 */
export async function startLocalHost(options: { port?: number; log?: (line: string) => void } = {}): Promise<{
  host: RunningHost;
  runtime: Runtime;
}> {
  const runtime = await getRuntime();
  const host = await startHost({
    projectDir,
    port: options.port ?? runtime.config.SHARDSYNC_PORT,
    consumer: runtime.consumer,
    ...(options.log ? { log: options.log } : {}),
    onStop: closeRuntime,
  });
  return { host, runtime };
}
