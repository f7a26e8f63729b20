import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster on 127.0.0.1, for tests and benchmarks. */
export interface LocalPostgres {
  host: string;
  port: number;
  user: string;
  database: string;
  /** `postgres://user@127.0.0.1:port/database` (trust authentication: no password). */
  connectionString: string;
  stop(): Promise<void>;
}

/** The newest installed server's bin directory (Debian's `postgresql` package), or undefined. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a new cluster in a temporary directory: initdb, then pg_ctl start on a free port, only
 * TCP on 127.0.0.1, durability off (a test's data need not survive a crash). PostgreSQL refuses
 * to run as root, so as root it runs as the `postgres` user (which the package creates).
 */
export async function startLocalPostgres(): Promise<LocalPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): apt-get install postgresql');
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? await run('id', ['-u', 'postgres']).then(async ({ stdout }) => ({ uid: Number(stdout.trim()), gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()) })) : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'shardsync-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const as = (tool: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args));
  const data = join(dir, 'data');
  const user = 'postgres';
  await as('initdb', ['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C.UTF-8']);
  const port = await freePort();
  const options = ['-h 127.0.0.1', `-p ${port}`, `-k ${dir}`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=50'].join(' ');
  await as('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user,
    database: 'postgres',
    connectionString: `postgres://${user}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
