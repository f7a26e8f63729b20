import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { DEMO_CREDENTIALS, ensureDemoResources } from '../../dev/demoSetup.js';
import { defaultDedupeRules } from '../../shared/core/dedupe/defaultDedupeRules.js';
import { apiClient } from '../e2e/apiClient.js';
import { projectDir, startHostProcess, type HostProcess } from '../e2e/hostProcess.js';
import { launchBrowser, seriousViolations, signIn } from './browser.js';

/**
 * The web console in headless Chromium against the real host and fake WooCommerce stores: a run
 * watched to its end, a conflict settled in the diff view, a failure retried, a merge undone, and
 * axe on every page. Screenshots of the pages go to docs/console-*.png (shown in the README).
 */
const CUSTOMERS = 120;
const counts = { customers: CUSTOMERS, products: 0, orders: 0 };

describe('the web console', () => {
  let host: HostProcess;
  let store: FakeWooCommerce;
  let second: FakeWooCommerce;
  let api: AdminClient;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const until = async (check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  // The README's screenshots, refreshed on request only (SHARDSYNC_SCREENSHOTS=1): a plain test run leaves docs/ as committed.
  const screenshot = async (name: string) => {
    const image = await page.screenshot({ fullPage: true, ...(process.env.SHARDSYNC_SCREENSHOTS === '1' ? { path: `${projectDir}/docs/console-${name}.png` } : {}) });
    expect(image.length).toBeGreaterThan(0);
  };
  const open = async (hash: string, heading: string | RegExp) => {
    await page.goto(`${host.url}/api/console/#/${hash}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  beforeAll(async () => {
    // The same seed: the second store holds the same people under the same ids (entity resolution merges them).
    store = await startFakeWooCommerce({ seed: 11, counts, ...DEMO_CREDENTIALS });
    second = await startFakeWooCommerce({ seed: 11, counts, ...DEMO_CREDENTIALS });
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, store.url);
    // Small batches with a pause between them: the run lasts seconds, long enough to watch it move.
    // Both ways, so the shards it creates keep the base a conflict is detected against.
    await api.ok('PUT', 'tenants/demo/tasks/slow-customers', {
      connectionId: 'demo-woo',
      direction: 'bidirectional',
      streams: [{ stream: 'customers', schemaId: 'demo-customers' }],
      defaults: { batchSize: 5, interBatchDelayMs: 150 },
    });
    await mkdir(`${projectDir}/docs`, { recursive: true });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await store?.close();
    await second?.close();
  });

  it('serves the console with content types and caching, and nothing outside it', async () => {
    const index = await fetch(`${host.url}/api/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${host.url}/api/console/${asset}`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    const bare = await fetch(`${host.url}/api/console`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([308, '/api/console/']);
    for (const path of ['..%2Fpackage.json', '%2E%2E/%2E%2E/package.json', 'assets/..%2F..%2F..%2Fpackage.json', '.vite/manifest.json', 'nope.js', '..\\package.json']) {
      expect((await fetch(`${host.url}/api/console/${path}`)).status, path).toBe(404);
    }
  });

  it('signs in with the key without ever showing it', async () => {
    await page.goto(`${host.url}/api/console/`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Tenant').fill('demo');
    await page.getByLabel('API key').fill('not-the-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The API's own message, not a status page.
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/credential|key|authori/i);
    await signIn(page, host.url, 'demo', host.adminKey!);
    expect(await page.content()).not.toContain(host.adminKey!);
  });

  it('starts a run from the tasks page and shows its progress bar moving until it finishes', async () => {
    await open('connections', 'Connections and tasks');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Test connection demo-woo' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/^Test demo-woo: ok in \d+ ms\.$/);
    await screenshot('connections');
    // The run page follows the run's server-sent events rather than polling.
    const streams: string[] = [];
    const polls: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (/\/executions\/exe_[^/]+\/events$/.test(url.pathname)) streams.push(url.pathname);
      else if (/\/executions\/exe_[^/]+$/.test(url.pathname)) polls.push(url.pathname);
    });
    await page.getByRole('button', { name: 'Start slow-customers' }).click();
    await page.getByRole('heading', { level: 1, name: /^Execution exe_/ }).waitFor();
    const progress = page.getByRole('progressbar', { name: 'Run progress' });
    const seen = new Set<number>();
    let shot = false;
    await until(async () => {
      seen.add(Number(await progress.getAttribute('value')));
      if (!shot && [...seen].some((p) => p > 60 && p < 100)) {
        shot = true;
        await screenshot('execution');
      }
      return (await page.getByTestId('status').textContent()) === 'success';
    }, 'the run to finish', 60_000);
    // It moved: at least one value strictly between start and end, then 100.
    expect([...seen].some((p) => p > 0 && p < 100), JSON.stringify([...seen])).toBe(true);
    expect(Number(await progress.getAttribute('value'))).toBe(100);
    expect(streams).toHaveLength(1);
    expect(polls).toEqual([]);
    expect(await page.locator('[data-count="created"]').textContent()).toBe(String(CUSTOMERS));
    expect(await seriousViolations(page)).toEqual([]);
    await open('executions', 'Executions');
    expect(await seriousViolations(page)).toEqual([]);
  }, 90_000);

  it('pauses, resumes and cancels a full re-sync from its page', async () => {
    await open('connections', 'Connections and tasks');
    await page.getByRole('button', { name: 'Full re-sync slow-customers' }).click();
    await page.getByRole('heading', { level: 1, name: /^Execution exe_/ }).waitFor();
    const status = page.getByTestId('status');
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('paused (operator)');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('running');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('cancelled');
    const id = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Execution ', '');
    expect((await api.ok('GET', `tenants/demo/executions/${id}`)).status).toBe('cancelled');
  }, 60_000);

  it('settles a conflict in the diff view with a custom value that reaches the provider', async () => {
    const [shard] = (await api.ok('GET', 'tenants/demo/shards?type=customer&externalId=4&connectionId=demo-woo')).items;
    store.updateRecord('customers', 4, { first_name: 'Remote-X' });
    expect((await api.request('PATCH', `tenants/demo/shards/${shard.id}`, { data: { firstName: 'Local-X' } })).status).toBe(200);
    await until(async () => (await api.ok('GET', 'tenants/demo/conflicts?status=open')).items.length === 1, 'the conflict');

    await open('conflicts', 'Conflicts');
    const conflict = page.locator('article.conflict');
    await conflict.waitFor();
    expect(await conflict.locator('pre').allTextContents()).toEqual([expect.any(String), '"Local-X"', '"Remote-X"']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot('conflicts');
    await conflict.getByLabel('Custom value (JSON or text)').fill('Custom-X');
    await conflict.getByRole('button', { name: 'Use custom value' }).click();
    await page.getByText('No open conflicts.').waitFor();
    expect((await api.ok('GET', `tenants/demo/shards/${shard.id}`)).data.firstName).toBe('Custom-X');
    await until(() => (store.getRecord('customers', 4) as { first_name: string }).first_name === 'Custom-X', 'the write-back');
  }, 60_000);

  it('retries a failure from the failures page', async () => {
    store.updateRecord('customers', 5, { email: '' });
    const failing = await api.ok('POST', 'tenants/demo/tasks/slow-customers/executions', { streams: ['customers'], ids: { customers: ['5'] } });
    expect(await api.waitForExecution('demo', failing.executionId)).toMatchObject({ counts: { failed: 1 } });
    const [failure] = (await api.ok('GET', `tenants/demo/failures?executionId=${failing.executionId}&status=open`)).items;
    expect(failure).toBeDefined();
    store.updateRecord('customers', 5, { email: 'fixed@example.com' });

    await open('failures', 'Failures');
    await page.getByRole('button', { name: `Retry failure ${failure.id}` }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot('failures');
    await page.getByRole('button', { name: `Retry failure ${failure.id}` }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('done');
    await until(async () => (await api.ok('GET', `tenants/demo/failures/${failure.id}`)).status === 'resolved', 'the retry to resolve the failure', 30_000);
  }, 60_000);

  it('shows why records were merged and unmerges one', async () => {
    expect((await api.request('PUT', 'tenants/demo/dedupe-rules/customer', defaultDedupeRules.customer)).status).toBe(201);
    await api.ok('PUT', 'tenants/demo/connections/second-woo', { provider: 'woocommerce', settings: { baseUrl: second.url }, credentials: DEMO_CREDENTIALS });
    await api.ok('PUT', 'tenants/demo/tasks/second-customers', { connectionId: 'second-woo', streams: [{ stream: 'customers', schemaId: 'demo-customers' }] });
    const run = await api.ok('POST', 'tenants/demo/tasks/second-customers/executions', {});
    expect((await api.waitForExecution('demo', run.executionId)).counts.merged).toBeGreaterThan(0);
    const [shard] = (await api.ok('GET', 'tenants/demo/shards?type=customer&externalId=7&connectionId=second-woo')).items;
    expect(shard.merges).toEqual([expect.objectContaining({ source: 'second-woo/customers/7' })]);

    await open('shards', 'Shards');
    await page.getByRole('status').filter({ hasText: 'shards' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot('shards');
    await open(`shards/${shard.id}`, `Shard ${shard.id}`);
    const row = page.locator('tr[data-source="second-woo/customers/7"]');
    await row.waitFor();
    expect(await row.locator('td').nth(2).textContent()).toMatch(/email|name|phone/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot('merge');
    await page.getByRole('button', { name: 'Unmerge second-woo/customers/7' }).click();
    await page.getByText('No record was merged into this shard.').waitFor();
    expect((await api.ok('GET', `tenants/demo/shards/${shard.id}`)).merges ?? []).toEqual([]);
    expect((await api.request('POST', `tenants/demo/shards/${shard.id}/unmerge`, { source: 'second-woo/customers/7' })).status).toBe(409);
  }, 60_000);

  it('lists schedules with their next run and disables one; shows the activity log', async () => {
    const saved = await api.ok('POST', 'tenants/demo/schedules', { id: 'hourly', taskId: 'slow-customers', interval: { every: 1, unit: 'hours' } });
    expect(saved.enabled).toBe(true);
    await open('schedules', 'Schedules');
    const toggle = page.getByRole('button', { name: 'Disable hourly' });
    await toggle.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await toggle.click();
    await page.getByRole('button', { name: 'Enable hourly' }).waitFor();
    expect((await api.ok('GET', 'tenants/demo/schedules/hourly')).enabled).toBe(false);

    await open('activity', 'Activity');
    await page.getByLabel('action').fill('connection.tested');
    await page.getByRole('button', { name: 'Filter' }).click();
    // The connection test the console made earlier, and nothing the filter leaves out.
    await page.getByRole('cell', { name: 'connection.tested' }).first().waitFor();
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('cell', { name: /^execution\./ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot('activity');
  });

  it('shows the API\'s error message, never a raw error page, and the page raised no script errors', async () => {
    await open('executions/exe_nope', 'Execution exe_nope');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/exe_nope/);
    expect(await alert.textContent()).not.toMatch(/stack|at \w+ \(/i);
    // A 404 answer is logged by the browser as a failed resource load; anything else is a console bug.
    expect(pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 40[14]/.test(e))).toEqual([]);
  });
});
