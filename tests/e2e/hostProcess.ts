import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface HostProcess {
  url: string;
  /** The local admin key the host printed (or keeps in its data directory): `Authorization: Bearer <key>`; none with authentication off. */
  adminKey: string | undefined;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, nothing is cleaned up. */
  kill(): Promise<void>;
}

/** Starts `node dist/dev/host/main.js` (what `npm start` runs) as a real child process on a free port. */
export async function startHostProcess(env: Record<string, string>): Promise<HostProcess> {
  const child = spawn(process.execPath, ['dist/dev/host/main.js'], {
    cwd: projectDir,
    env: { ...process.env, SHARDSYNC_PORT: '0', SHARDSYNC_DATA_DIR: ':memory:', SHARDSYNC_OUTBOUND_ALLOW: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start within 20 s:\n${output}`)), 20_000);
    const check = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      // How callers get in (the admin key, or the authentication-off banner on stderr) is printed
      // before the listening line, but on two pipes it may arrive after it.
      if (match && /admin key|AUTHENTICATION IS OFF/.test(output)) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    adminKey: await adminKeyFrom(output),
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The key a new host prints once, or the one an earlier start kept in the data directory. */
async function adminKeyFrom(output: string): Promise<string | undefined> {
  if (output.includes('AUTHENTICATION IS OFF')) return undefined;
  const printed = /admin key \(shown once[^)]*\): (ssa\.\S+)/.exec(output);
  if (printed) return printed[1]!;
  const kept = /admin key: in (\S+) /.exec(output);
  if (kept) return (await readFile(kept[1]!, 'utf8')).trim();
  throw new Error(`the host printed no admin key:\n${output}`);
}
