import { embeddedDeps } from './embeddedDeps.js';
import { openDatabase } from '../../../shared/adapters/embedded/sqliteDatabase.js';
import { wooCommerceProvider } from '../../../shared/connectors/woocommerce/wooCommerceProvider.js';
import type { Execution } from '../../../shared/core/schemas/execution.js';
import type { ActivityEntry } from '../../../shared/core/schemas/activity.js';
import type { SyncDeps } from '../../../shared/sync/syncDeps.js';
import { putTenant } from '../../../shared/sync/tenants/tenants.js';
import { saveConnection } from '../../../shared/sync/resources/connections.js';
import { saveConversionSchema } from '../../../shared/sync/resources/conversionSchemas.js';
import { saveSyncTask } from '../../../shared/sync/resources/syncTasks.js';
import { runDueSchedules } from '../../../shared/sync/triggers/runDueSchedules.js';
import { DEMO_CREDENTIALS, DEMO_SCHEMAS } from '../../../dev/demoSetup.js';

const MINUTE = 60_000;

export interface SchedulesFixture {
  deps: SyncDeps;
  /** Another worker on the same database and clock. */
  otherDeps(): SyncDeps;
  /** Sets the shared clock. */
  at(iso: string): void;
  /** One scheduler tick at each whole minute in (now, until], like the minutely timer. */
  tickEveryMinuteUntil(until: string): Promise<void>;
  /** The executions of tenant t1, oldest first. */
  executions(): Promise<Execution[]>;
  activity(action: string): Promise<ActivityEntry[]>;
  close(): void;
}

/**
 * Tenant t1 with tasks `task` and `task-b` (customers of a WooCommerce connection nobody calls:
 * starting an execution only queues it) on an embedded database, with a clock the test moves.
 */
export async function schedulesFixture(start: string): Promise<SchedulesFixture> {
  const db = openDatabase(':memory:');
  let now = Date.parse(start);
  const clock = { now: () => new Date(now) };
  const make = () => embeddedDeps(db, { clock, providers: [wooCommerceProvider] });
  const deps = make();
  await putTenant(deps, 't1', {});
  await saveConnection(deps, 't1', { provider: 'woocommerce', settings: { baseUrl: 'http://127.0.0.1:9' }, credentials: DEMO_CREDENTIALS }, 'shop');
  await saveConversionSchema(deps, 't1', DEMO_SCHEMAS.customers, 'customers');
  for (const taskId of ['task', 'task-b']) {
    await saveSyncTask(deps, 't1', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'customers' }] }, taskId);
  }
  return {
    deps,
    otherDeps: make,
    at: (iso) => (now = Date.parse(iso)),
    tickEveryMinuteUntil: async (until) => {
      const end = Date.parse(until);
      for (let minute = Math.floor(now / MINUTE) * MINUTE + MINUTE; minute <= end; minute += MINUTE) {
        now = minute;
        await runDueSchedules(deps);
      }
    },
    executions: async () =>
      (
        await deps.store.query<Execution>(
          'executions',
          't1',
          { filters: [{ path: 'kind', op: '=', value: 'execution' }], orderBy: { path: 'createdAt', direction: 'asc' } },
          { maxItems: 1000 },
        )
      ).items,
    activity: async (action) =>
      (await deps.store.query<ActivityEntry>('activity', 't1', { filters: [{ path: 'action', op: '=', value: action }], orderBy: { path: 'at', direction: 'asc' } }, { maxItems: 1000 })).items,
    close: () => db.close(),
  };
}

/** The occurrence an execution was started for, from its idempotency key `schedule:<id>:<occurrence>`. */
export const occurrenceOf = (execution: Execution) => execution.idempotencyKey?.split(':').slice(2).join(':');
