import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { inspect } from 'node:util';
import type { Secrets } from '../../ports/secrets.js';
import { withFileLock } from './fileLock.js';

export interface LocalSecretsOptions {
  /** Environment-like settings; secret `name` is read from `SHARDSYNC_SECRET_<NAME>`. */
  settings?: Record<string, string | undefined>;
  /** JSON file `{ name: value }` (e.g. `<dataDir>/secrets.json`); absent = secrets set at runtime live in memory only. */
  file?: string;
}

/**
 * The settings variable that may hold secret `name`: upper-cased, `-` as `_`. Only names of
 * lower-case letters, digits and single dashes have one, the names for which that is one-to-one:
 * `alerts-a_b` and `alerts-A-b` would otherwise read the setting meant for `alerts-a-b`.
 */
export function secretSettingName(name: string): string | undefined {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name) ? `SHARDSYNC_SECRET_${name.toUpperCase().replaceAll('-', '_')}` : undefined;
}

/**
 * Secrets for local runs: values set at runtime (the file) win over settings, so a `set` is
 * always read back. Values are held in private fields only and never logged or serialised.
 */
export class LocalSecrets implements Secrets {
  readonly #settings: Record<string, string | undefined>;
  readonly #file: string | undefined;
  /** The file's values as last read, and which version of the file they are (without a file: the values themselves). */
  #read: { version: string; values: Map<string, string> } | undefined;
  /** Serialises this process's writes; the file lock serialises them with other processes'. */
  #writing: Promise<void> = Promise.resolve();

  constructor(options: LocalSecretsOptions = {}) {
    this.#settings = options.settings ?? {};
    this.#file = options.file;
  }

  async get(name: string): Promise<string | undefined> {
    const setting = secretSettingName(name);
    return (await this.#load()).get(name) ?? (setting === undefined ? undefined : this.#settings[setting]);
  }

  async set(name: string, value: string): Promise<void> {
    return this.#change((values) => {
      values.set(name, value);
      return true;
    });
  }

  async delete(name: string): Promise<void> {
    return this.#change((values) => values.delete(name));
  }

  toJSON(): Record<string, never> {
    return {};
  }

  [inspect.custom](): string {
    return 'LocalSecrets { <values hidden> }';
  }

  /**
   * The current values. Another host process on the same data directory may have written the
   * file since (an OAuth refresh saving a rotated refresh token): it is read again whenever it
   * changed, which a write-then-rename always shows in its inode.
   */
  async #load(): Promise<Map<string, string>> {
    if (!this.#file) return (this.#read ??= { version: '', values: new Map() }).values;
    const version = await versionOf(this.#file);
    if (this.#read?.version !== version) this.#read = { version, values: await readValues(this.#file) };
    return this.#read.values;
  }

  /** Read-modify-write of the newest file under the lock, so no process's write is lost to another's. */
  #change(apply: (values: Map<string, string>) => boolean): Promise<void> {
    const file = this.#file;
    const write = this.#writing.then(async () => {
      if (!file) {
        apply(await this.#load());
        return;
      }
      await withFileLock(`${file}.lock`, async () => {
        const values = new Map(await this.#load());
        if (!apply(values)) return;
        await writePrivate(file, JSON.stringify(Object.fromEntries(values), null, 2));
        this.#read = { version: await versionOf(file), values };
      });
    });
    this.#writing = write.catch(() => undefined);
    return write;
  }
}

/** Which write of the file is there now (`absent` before the first). */
async function versionOf(file: string): Promise<string> {
  try {
    const stats = await stat(file);
    return `${stats.ino}:${stats.mtimeMs}:${stats.size}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
}

async function readValues(file: string | undefined): Promise<Map<string, string>> {
  if (!file) return new Map();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined; // JSON.parse's message quotes the text, i.e. secret values: report without it
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file} must hold a JSON object of secret names to values`);
  }
  return new Map(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Write-then-rename, so a crash never leaves a half-written file; mode 0600 from the first byte. */
async function writePrivate(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await chmod(temporary, 0o600); // the mode above is masked by the umask
  await rename(temporary, file);
}
