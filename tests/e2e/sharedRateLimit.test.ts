import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../shared/adapters/embedded/sqliteDatabase.js';
import { projectDir } from './hostProcess.js';

const REQUESTS_PER_MINUTE = 120; // 2 a second
const BURST = 5;
const CALLS_PER_PROCESS = 10;

/** Runs the fixture worker to completion; resolves with what it printed last. */
function runWorker(dataDir: string, url: string): Promise<{ calls: number; throttled: number }> {
  const child = spawn(
    process.execPath,
    ['tests/e2e/fixtures/guardedCalls.mjs', url, String(CALLS_PER_PROCESS), String(REQUESTS_PER_MINUTE), String(BURST)],
    { cwd: projectDir, env: { ...process.env, SHARDSYNC_DATA_DIR: dataDir, SHARDSYNC_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker exited with ${code}:\n${output}`));
      resolve(JSON.parse(output.trim().split('\n').at(-1)!));
    });
  });
}

describe('provider rate limit shared through the store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shardsync-ratelimit-'));
  let server: Server | undefined;
  afterAll(async () => {
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server!.close(resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('two processes on one data file together stay within the rate', async () => {
    const arrivals: number[] = [];
    server = createServer((_request, response) => {
      arrivals.push(performance.now());
      response.end('ok');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/page`;
    // Created (and switched to WAL) once, as a deployed store is, before both workers open it.
    openDatabase(join(dataDir, 'shardsync.db')).close();

    const results = await Promise.all([runWorker(dataDir, url), runWorker(dataDir, url)]);

    const total = 2 * CALLS_PER_PROCESS;
    expect(arrivals).toHaveLength(total);
    // Both waited their turn: the bucket they drew from was one.
    for (const result of results) expect(result.throttled).toBeGreaterThan(0);
    // A token bucket grants at most burst + rate·W in any window W: 5 + 2 in every second.
    const perSecond = REQUESTS_PER_MINUTE / 60;
    for (const start of arrivals) {
      const inWindow = arrivals.filter((at) => at >= start && at < start + 1_000).length;
      expect(inWindow).toBeLessThanOrEqual(BURST + perSecond);
    }
    // The burst went at once, the other 15 at 2 a second: 7.5 s, and not much more.
    const spanMs = Math.max(...arrivals) - Math.min(...arrivals);
    const expectedMs = ((total - BURST) / perSecond) * 1_000;
    expect(spanMs).toBeGreaterThan(expectedMs - 200);
    expect(spanMs).toBeLessThan(expectedMs + 3_000);
  }, 20_000);
});
