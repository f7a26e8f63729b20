import { afterEach, describe, expect, it } from 'vitest';
import { embeddedDeps } from '../embeddedDeps.js';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { wooCommerceProvider } from '../../../../shared/connectors/woocommerce/wooCommerceProvider.js';
import type { ProviderDefinition } from '../../../../shared/connectors/providerDefinition.js';
import { QuotaExhaustedError } from '../../../../shared/connectors/quotaExhaustedError.js';
import type { Clock } from '../../../../shared/ports/clock.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { controlExecution } from '../../../../shared/sync/executions/controlExecution.js';
import { resumeAfterQuota } from '../../../../shared/sync/executions/quotaResume.js';
import { quotaResumeAtMs, QUOTA_RESUME_WITHOUT_RESET_MS } from '../../../../shared/core/operations/quotaResume.js';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../../../dev/fakes/fakeWooCommerce.js';
import { DEMO_CREDENTIALS, DEMO_SCHEMAS } from '../../../../dev/demoSetup.js';
import { drain, type SyncFixture } from '../syncFixture.js';

const T0 = Date.parse('2026-12-07T03:00:00.000Z');
const HOUR_MS = 3_600_000;

class ManualClock implements Clock {
  constructor(public ms = T0) {}
  now = () => new Date(this.ms);
  advance(ms: number) {
    this.ms += ms;
  }
}

/**
 * A test connector: the WooCommerce one, whose provider answers page reads with its daily quota
 * spent (as Salesforce's REQUEST_LIMIT_EXCEEDED does) while `quota.spent` is set.
 */
function quotaLimitedProvider(quota: { spent: boolean; resetAt: string }): ProviderDefinition {
  return {
    ...wooCommerceProvider,
    create: (settings, credentials, context) => {
      const inner = wooCommerceProvider.create(settings, credentials, context);
      return Object.assign(Object.create(inner) as typeof inner, {
        listPage: async (request: Parameters<typeof inner.listPage>[0]) => {
          if (quota.spent) {
            throw new QuotaExhaustedError({ status: 403, code: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.', resetAt: quota.resetAt });
          }
          return inner.listPage(request);
        },
      });
    },
  };
}

describe("a provider's spent quota", () => {
  let db: SqliteDatabase | undefined;
  let fake: FakeWooCommerce | undefined;
  afterEach(async () => {
    await fake?.close();
    db?.close();
    fake = undefined;
    db = undefined;
  });

  /** A tenant syncing `customers` customers from a store whose quota is spent until an hour from now. */
  async function quotaLimitedTenant(customers: number) {
    const clock = new ManualClock();
    const quota = { spent: true, resetAt: new Date(T0 + HOUR_MS).toISOString() };
    db = openDatabase(':memory:');
    const deps = embeddedDeps(db, { clock, providers: [quotaLimitedProvider(quota)] });
    fake = await startFakeWooCommerce({ seed: 5, counts: { customers, products: 0, orders: 0 }, ...DEMO_CREDENTIALS });
    await putTenant(deps, 't1', {});
    await saveConnection(deps, 't1', { provider: 'woocommerce', settings: { baseUrl: fake.url }, credentials: DEMO_CREDENTIALS }, 'shop');
    await saveConversionSchema(deps, 't1', DEMO_SCHEMAS.customers, 'customers');
    await saveSyncTask(deps, 't1', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'customers' }], defaults: { batchSize: 50 } }, 'task');
    const fixture: SyncFixture = { deps, bus: deps.bus, fake, close: async () => {} };
    return { clock, quota, deps, fixture };
  }

  it('pauses the run for quota, showing the reset; a resume waits for the reset and then the run succeeds', async () => {
    const { clock, quota, deps, fixture } = await quotaLimitedTenant(120);

    const { execution } = await startExecution(deps, 't1', 'task', {});
    await drain(fixture);
    const paused = await getExecution(deps, 't1', execution.id);
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'quota', quotaResetAt: quota.resetAt, pauseDetail: null, counts: { fetched: 0 } });
    // A pause, not a failure: nothing was recorded as failed.
    expect(paused.lastErrors).toEqual([]);

    // Resumed before the reset: the guard holds the page until then rather than spend a call.
    quota.spent = false;
    await controlExecution(deps, 't1', execution.id, 'resume');
    await drain(fixture);
    expect(await getExecution(deps, 't1', execution.id)).toMatchObject({ status: 'running', pauseReason: null, quotaResetAt: null, counts: { fetched: 0 } });

    clock.advance(HOUR_MS + 2_000);
    await drain(fixture);
    expect(await getExecution(deps, 't1', execution.id)).toMatchObject({ status: 'success', counts: { created: 120, failed: 0 } });
  });

  it('resumes by itself once the quota is back: not before the reset, then the run succeeds; resuming twice changes nothing', async () => {
    const { clock, quota, deps, fixture } = await quotaLimitedTenant(60);
    const { execution } = await startExecution(deps, 't1', 'task', {});
    await drain(fixture);
    expect(await getExecution(deps, 't1', execution.id)).toMatchObject({ status: 'paused', pauseReason: 'quota' });

    quota.spent = false;
    clock.advance(HOUR_MS - 60_000);
    expect(await resumeAfterQuota(deps)).toEqual({ resumed: 0, waiting: 1 });
    expect(await getExecution(deps, 't1', execution.id)).toMatchObject({ status: 'paused' });

    clock.advance(61_000);
    expect(await resumeAfterQuota(deps)).toEqual({ resumed: 1, waiting: 0 });
    expect(await resumeAfterQuota(deps)).toEqual({ resumed: 0, waiting: 0 });
    await drain(fixture);
    expect(await getExecution(deps, 't1', execution.id)).toMatchObject({ status: 'success', counts: { created: 60, failed: 0 } });
  });

  it('waits an hour for a quota whose provider said nothing about its reset', () => {
    const at = '2026-12-07T03:00:00.000Z';
    expect(quotaResumeAtMs({ at, message: 'spent', resetAt: '2026-12-07T03:05:00.000Z' }, 0)).toBe(Date.parse('2026-12-07T03:05:00.000Z'));
    expect(quotaResumeAtMs({ at, message: 'spent' }, 0)).toBe(Date.parse(at) + QUOTA_RESUME_WITHOUT_RESET_MS);
    expect(quotaResumeAtMs(undefined, 1_000)).toBe(1_000 + QUOTA_RESUME_WITHOUT_RESET_MS);
  });
});
