import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient } from './apiClient.js';
import { DEMO_CONNECTION, DEMO_TASK, DEMO_TENANT } from '../../dev/demoSetup.js';
import { projectDir, startHostProcess, type HostProcess } from './hostProcess.js';

const RECORDS = 20;

/** `npm run demo -- --records 20 --once` on `dataDir` (the compiled entry, as npm runs it after building). */
function runDemo(dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['dist/dev/demo.js', '--records', String(RECORDS), '--once'], {
    cwd: projectDir,
    env: { ...process.env, SHARDSYNC_DATA_DIR: dataDir, SHARDSYNC_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

/** Whether anything accepts connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe("the demo's connection outlives the demo", () => {
  const dataDirs: string[] = [];
  const hosts: HostProcess[] = [];
  afterAll(async () => {
    for (const host of hosts) await host.stop();
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  });

  it('after the demo stopped, npm start on its data brings its store back on the same port, and the demo task runs to success', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'shardsync-demo-restart-'));
    dataDirs.push(dataDir);
    const demo = await runDemo(dataDir);
    expect(demo.code, demo.output).toBe(0);
    const recordFile = join(dataDir, 'demo-store.json');
    expect(demo.output).toContain(`kept in ${recordFile}`);
    const { port } = JSON.parse(await readFile(recordFile, 'utf8')) as { port: number };
    // The demo took its store down with it: without the restart a run would meet ECONNREFUSED.
    expect(await listening(port)).toBe(false);

    // As plain `npm start`: no allow-list of its own.
    const host = await startHostProcess({ SHARDSYNC_DATA_DIR: dataDir, SHARDSYNC_OUTBOUND_ALLOW: '' });
    hosts.push(host);
    expect(host.output()).toContain(`restarting the demo's fake WooCommerce store at http://127.0.0.1:${port} (from ${recordFile})`);
    const api = apiClient(host.url, host.adminKey);
    const connection = await api.ok('GET', `tenants/${DEMO_TENANT}/connections/${DEMO_CONNECTION}`);
    expect(connection.settings.baseUrl).toBe(`http://127.0.0.1:${port}`);
    const { executionId } = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}/executions`, { mode: 'full' });
    const view = await api.waitForExecution(DEMO_TENANT, executionId, { timeoutMs: 20_000 });
    expect(view.status, JSON.stringify(view.lastErrors)).toBe('success');
    // The same seed and counts: the records the demo synced, unchanged.
    expect(view.counts).toMatchObject({ fetched: RECORDS, unchanged: RECORDS, failed: 0 });

    expect(await host.stop()).toBe(0);
    expect(await listening(port)).toBe(false);
  });

  it('npm start on data the demo never ran on starts no store and lets tenant URLs reach no loopback address', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'shardsync-no-demo-'));
    dataDirs.push(dataDir);
    const host = await startHostProcess({ SHARDSYNC_DATA_DIR: dataDir, SHARDSYNC_OUTBOUND_ALLOW: '' });
    hosts.push(host);
    expect(host.output()).not.toContain("demo's fake WooCommerce store");
    const api = apiClient(host.url, host.adminKey);
    await api.ok('PUT', 'tenants/plain', {});
    const refused = await api.request('PUT', 'tenants/plain/connections/local', {
      provider: 'woocommerce',
      settings: { baseUrl: 'http://127.0.0.1:9' },
      credentials: { consumerKey: 'ck_plain_0000', consumerSecret: 'cs_plain_0000' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toEqual([{ path: 'settings.baseUrl', message: expect.stringContaining('loopback') }]);
  });
});
