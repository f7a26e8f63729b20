import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { inspect } from 'node:util';
import type { Secrets } from '../../ports/secrets.js';

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
  #values: Promise<Map<string, string>> | undefined;
  /** Serialises writes so that concurrent `set`s never lose each other. */
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
    const write = this.#writing.then(async () => {
      const values = await this.#load();
      values.set(name, value);
      if (this.#file) await writePrivate(this.#file, JSON.stringify(Object.fromEntries(values), null, 2));
    });
    this.#writing = write.catch(() => undefined);
    return write;
  }

  async delete(name: string): Promise<void> {
    const write = this.#writing.then(async () => {
      const values = await this.#load();
      if (!values.delete(name)) return;
      if (this.#file) await writePrivate(this.#file, JSON.stringify(Object.fromEntries(values), null, 2));
    });
    this.#writing = write.catch(() => undefined);
    return write;
  }

  toJSON(): Record<string, never> {
    return {};
  }

  [inspect.custom](): string {
    return 'LocalSecrets { <values hidden> }';
  }

  /** Reads the file once; this process is its only writer. */
  #load(): Promise<Map<string, string>> {
    this.#values ??= readValues(this.#file);
    return this.#values;
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
