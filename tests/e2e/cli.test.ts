import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../dev/adminClient.js';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import { DEMO_CREDENTIALS } from '../../dev/demoSetup.js';
import { apiClient } from './apiClient.js';
import { runCli, type CliResult } from './cliRunner.js';
import { demoCustomersTask } from './customersTask.js';
import { projectDir, startHostProcess, type HostProcess } from './hostProcess.js';

const CUSTOMERS = 900;

describe('the shardsync CLI against a running host', () => {
  let woo: FakeWooCommerce;
  let host: HostProcess;
  let api: AdminClient;
  let env: Record<string, string>;
  /** Every command run, for the session capture and the check that the key never shows. */
  const session: CliResult[] = [];
  const cli = async (...args: string[]) => {
    const result = await runCli(args, env);
    session.push(result);
    return result;
  };

  beforeAll(async () => {
    woo = await startFakeWooCommerce({ seed: 8, counts: { customers: CUSTOMERS, products: 0, orders: 0 }, ...DEMO_CREDENTIALS, faults: { latencyMs: 200 } });
    host = await startHostProcess({ AzureFunctionsJobHost__extensions__serviceBus__maxConcurrentCalls: '2' });
    api = apiClient(host.url, host.adminKey);
    await demoCustomersTask(api, woo.url);
    expect(host.adminKey).toMatch(/^ssa\./);
    env = { SHARDSYNC_URL: `${host.url}/api`, SHARDSYNC_TENANT: 'demo', SHARDSYNC_KEY: host.adminKey! };
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
    await woo?.close();
    // `SHARDSYNC_CLI_CAPTURE=1 npx vitest run tests/e2e/cli.test.ts` refreshes docs/cli-session.txt.
    if (process.env['SHARDSYNC_CLI_CAPTURE'] && session.length > 0) {
      const text = session.map((r) => `$ ${r.command}\n${r.stderr}${r.stdout}${r.code === 0 ? '' : `[exit ${r.code}]\n`}`).join('\n');
      await writeFile(`${projectDir}/docs/cli-session.txt`, text.replaceAll(host.url, 'http://localhost:7071'));
    }
  });

  it('runs start --watch follows the run with progress and ETA, then prints the counts and exits 0', async () => {
    const run = await cli('runs', 'start', 'customers', '--watch');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^started exe_\S+$/m);
    const progress = [...run.stderr.matchAll(/^(\w+)\s+(\d+)%/gm)].map((match) => Number(match[2]));
    expect(progress.length).toBeGreaterThan(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    expect(progress.at(-1)).toBe(100);
    expect(run.stderr).toMatch(/ETA \d+s/);
    expect(run.stdout).toMatch(/^exe_\S+: success/m);
    expect(run.stdout).toMatch(new RegExp(`│ ${CUSTOMERS} +│ ${CUSTOMERS} +│`));
  }, 120_000);

  it('status shows the task with its last run, as a table and as the API\'s JSON', async () => {
    const table = await cli('status');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/│ customers +│ demo-woo +│ inbound +│ exe_\S+ +│ success/);
    expect(table.stdout).toMatch(/│ demo-woo +│ woocommerce/);
    const json = await cli('status', '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.tasks.find((task: { id: string }) => task.id === 'customers').lastExecution.status).toBe('success');
  });

  it('shards count, schedules, connections test and failures answer in tables and JSON', async () => {
    expect((await cli('shards', 'count', '--type', 'customer')).stdout.trim()).toBe(String(CUSTOMERS));
    expect(JSON.parse((await cli('--json', 'shards', 'count')).stdout)).toEqual({ count: expect.any(Number) });
    expect((await cli('shards', 'count', '--type', 'no-such-type')).stdout.trim()).toBe('0');

    await api.ok('POST', 'tenants/demo/schedules', { taskId: 'customers', cron: '30 2 * * *', timeZone: 'Europe/Berlin' });
    const schedules = await cli('schedules');
    expect(schedules.stdout).toMatch(/│ customers +│ 30 2 \* \* \* +│ Europe\/Berlin +│ incremental +│ true/);

    const test = await cli('connections', 'test', 'demo-woo');
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toMatch(/^demo-woo: ok in \d+ ms$/m);

    const failures = await cli('failures', 'list');
    expect(failures.stdout.trim()).toBe('(none)');
    const retry = await cli('failures', 'retry', '--all');
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stdout.trim()).toBe('nothing to retry: no open failures');
    expect(JSON.parse((await cli('--json', 'failures', 'list')).stdout)).toMatchObject({ items: [] });
    expect((await cli('conflicts', 'list')).stdout.trim()).toBe('(none)');
  });

  it('the API\'s refusals exit non-zero with the API\'s own message, never a stack trace', async () => {
    const unknown = await cli('runs', 'pause', 'exe_nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('shardsync: execution "exe_nope" does not exist (404 not_found)\n');
    const finished = (await api.ok('GET', 'tenants/demo/executions?status=success&limit=1')).items[0].id;
    const conflict = await cli('runs', 'pause', finished);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/^shardsync: .+ \(409 invalid_state\)\n$/);
    const invalid = await cli('conflicts', 'resolve', 'cfl_nope', '--value', '{"a":1}');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^shardsync: .+\((404 not_found|422 validation_failed)\)/);
    const unprocessable = await cli('shards', 'count', '--type', '');
    expect(unprocessable.code).toBe(1);
    expect(unprocessable.stderr).toMatch(/^shardsync: .+ \(422 validation_failed\)\n  query\.type: .+\n$/);
    const usage = await cli('conflicts', 'resolve', 'cfl_nope', '--accept', 'ours', '--value', '1');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('shardsync: give exactly one of --accept ours|theirs and --value JSON\n');
    const wrongKey = await runCli(['status'], { ...env, SHARDSYNC_KEY: 'ssa.not-the-key' });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/^shardsync: .+\(401 unauthenticated\)\n$/);
    expect(wrongKey.stderr).not.toContain('ssa.not-the-key');
    const noTenant = await runCli(['status'], { SHARDSYNC_URL: env['SHARDSYNC_URL']!, SHARDSYNC_KEY: env['SHARDSYNC_KEY']! });
    expect(noTenant).toMatchObject({ code: 2, stderr: 'shardsync: no tenant: give --tenant or set SHARDSYNC_TENANT\n' });
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const unreachable = await runCli(['--url', `http://127.0.0.1:${closedPort}/api`, 'status'], env);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toBe(`shardsync: cannot reach http://127.0.0.1:${closedPort}/api: ECONNREFUSED\n`);
    for (const result of [unknown, conflict, invalid, unprocessable, usage, wrongKey, unreachable]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('never prints the key', () => {
    expect(session.length).toBeGreaterThan(10);
    for (const result of session) expect(`${result.stdout}${result.stderr}`).not.toContain(host.adminKey!);
  });
});
