import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Older than any read-modify-write of a small file takes: the lock of a process that crashed holding it. */
const STALE_LOCK_MS = 10_000;

/**
 * Runs `work` while holding `lockFile`, created exclusively (O_EXCL), so processes sharing a data
 * directory change a file one at a time. A lock left by a crashed holder is removed once stale.
 */
export async function withFileLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  await mkdir(dirname(lockFile), { recursive: true });
  for (;;) {
    try {
      await (await open(lockFile, 'wx')).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const ageMs = await stat(lockFile).then(
        (held) => Date.now() - held.mtimeMs,
        () => 0,
      );
      if (ageMs > STALE_LOCK_MS) await rm(lockFile, { force: true });
      // Jittered, so waiting processes do not retry in lockstep.
      else await sleep(2 + Math.random() * 8);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockFile, { force: true });
  }
}
