import { chmod, mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatLocalAdminKey, hashKeySecret, newKeySecret, parsePresentedKey } from '../../core/access/apiKeyFormat.js';

export interface LocalAdminKey {
  /** `ssa.<secret>`: what callers send as `Authorization: Bearer <key>`. */
  key: string;
  /** SHA-256 of its secret: all the process needs to check callers. */
  hash: string;
  /** Where it is kept (mode 0600); absent for an in-memory data directory. */
  file?: string;
  /** Made by this call: the one time it is printed. */
  created: boolean;
}

/**
 * The local host's admin key: read from `file`, or made and written there (0600, never
 * overwritten: two processes starting at once keep the first one's key). Without a file (an
 * in-memory data directory) a fresh key lives as long as the process.
 */
export async function ensureLocalAdminKey(file: string | undefined): Promise<LocalAdminKey> {
  const secret = newKeySecret();
  if (file === undefined) return { key: formatLocalAdminKey(secret), hash: hashKeySecret(secret), created: true };
  const existing = await readKey(file);
  if (existing) return { ...existing, file, created: false };
  await mkdir(dirname(file), { recursive: true });
  const key = formatLocalAdminKey(secret);
  try {
    const handle = await open(file, 'wx', 0o600);
    await handle.writeFile(`${key}\n`);
    await handle.close();
    await chmod(file, 0o600); // the mode above is masked by the umask
    return { key, hash: hashKeySecret(secret), file, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readKey(file);
    if (!winner) throw new Error(`${file} holds no admin key`);
    return { ...winner, file, created: false };
  }
}

async function readKey(file: string): Promise<{ key: string; hash: string } | undefined> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (text === '') return undefined;
  // The message names the file, never its content.
  const parsed = parsePresentedKey(text);
  if (parsed.kind !== 'localAdmin') throw new Error(`${file} does not hold an admin key (ssa.<43 characters>); delete it to make a new one`);
  return { key: text, hash: hashKeySecret(parsed.secret) };
}
