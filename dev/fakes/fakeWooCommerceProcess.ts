import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeWooCommerceOptions } from './fakeWooCommerce.js';

export interface FakeWooCommerceProcess {
  url: string;
  close(): Promise<void>;
}

/** Starts the fake WooCommerce store in a child process (see fakeWooCommerceMain.ts). */
export async function startFakeWooCommerceProcess(options: FakeWooCommerceOptions): Promise<FakeWooCommerceProcess> {
  const main = fileURLToPath(new URL('./fakeWooCommerceMain.js', import.meta.url));
  const child = fork(main, [JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`the fake WooCommerce process exited before listening: ${output}`)));
  });
  return {
    url,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
