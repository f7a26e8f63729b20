import { afterEach, describe, expect, it } from 'vitest';
import { embeddedDeps } from '../embeddedDeps.js';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { salesforceProvider } from '../../../../shared/connectors/salesforce/salesforceProvider.js';
import { SALESFORCE_BUILTIN_SCHEMAS } from '../../../../shared/connectors/salesforce/salesforceBuiltinSchemas.js';
import type { Clock } from '../../../../shared/ports/clock.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { resumeAfterQuota } from '../../../../shared/sync/executions/quotaResume.js';
import { QUOTA_RESUME_WITHOUT_RESET_MS } from '../../../../shared/core/operations/quotaResume.js';
import { startFakeSalesforce, type FakeSalesforce } from '../../../../dev/fakes/salesforce/fakeSalesforce.js';
import { drain } from '../syncFixture.js';

const T0 = Date.parse('2026-12-07T03:00:00.000Z');
const CLIENT = { clientId: 'quota-consumer-key', clientSecret: 'quota-consumer-secret' };
const ACCOUNTS = 600;
const CONTACTS = 1_000;
const BATCH = 200;
/** Query calls the run may make before the org's allowance is spent: all accounts, two of five contact batches. */
const ALLOWANCE = 5;

class ManualClock implements Clock {
  constructor(public ms = T0) {}
  now = () => new Date(this.ms);
  advance(ms: number) {
    this.ms += ms;
  }
}

/**
 * The real Salesforce connector against the fake org whose daily allowance runs out mid-run: the
 * run pauses for quota as soon as `Sforce-Limit-Info` says nothing is left (before Salesforce has
 * to answer 403 REQUEST_LIMIT_EXCEEDED; no reset time is given), and the minutely resume brings it
 * back an hour later, when the allowance is back, to finish with exact counts.
 */
describe("a Salesforce org's spent daily allowance", () => {
  let db: SqliteDatabase | undefined;
  let fake: FakeSalesforce | undefined;
  afterEach(async () => {
    await fake?.close();
    db?.close();
    fake = undefined;
    db = undefined;
  });

  it('pauses the run for quota, not failed; an hour later, the allowance reset, resumeAfterQuota resumes it and it completes', async () => {
    const clock = new ManualClock();
    db = openDatabase(':memory:');
    const deps = embeddedDeps(db, { clock, providers: [salesforceProvider] });
    const org = await startFakeSalesforce({ ...CLIENT, dailyLimit: ALLOWANCE });
    fake = org;
    org.seed('Account', ACCOUNTS);
    org.seed('Contact', CONTACTS);
    await putTenant(deps, 't1', {});
    await saveConnection(deps, 't1', { provider: 'salesforce', settings: { instanceUrl: org.url, loginUrl: org.url }, credentials: { ...CLIENT, refreshToken: org.refreshToken } }, 'org');
    await saveConversionSchema(deps, 't1', SALESFORCE_BUILTIN_SCHEMAS['salesforce/accounts'], 'accounts');
    await saveConversionSchema(deps, 't1', SALESFORCE_BUILTIN_SCHEMAS['salesforce/contacts'], 'contacts');
    await saveSyncTask(
      deps,
      't1',
      {
        connectionId: 'org',
        streams: [
          { stream: 'accounts', schemaId: 'accounts' },
          { stream: 'contacts', schemaId: 'contacts' },
        ],
        defaults: { batchSize: BATCH },
      },
      'task',
    );
    const fixture = { deps, bus: deps.bus };
    // The connection test on save spent a call: the run starts with the whole allowance.
    org.resetApiUsage();
    const before = org.requests.length;

    const { execution } = await startExecution(deps, 't1', 'task', {});
    await drain(fixture);
    const paused = await getExecution(deps, 't1', execution.id);
    // Stopped before the cap: the last answer's Sforce-Limit-Info said nothing was left, so no call was refused.
    const refused = org.requests.slice(before).filter((call) => call.status === 403);
    expect(refused).toHaveLength(0);
    expect(org.apiUsage).toEqual({ used: ALLOWANCE, max: ALLOWANCE });
    // Salesforce says nothing of when the allowance comes back: no reset time is shown.
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'quota', quotaResetAt: null, counts: { fetched: ALLOWANCE * BATCH, failed: 0 } });
    expect(paused.lastErrors).toEqual([]);

    // Not yet an hour: the run keeps waiting, even with the allowance back.
    org.resetApiUsage();
    clock.advance(QUOTA_RESUME_WITHOUT_RESET_MS - 60_000);
    expect(await resumeAfterQuota(deps)).toEqual({ resumed: 0, waiting: 1 });
    expect(await getExecution(deps, 't1', execution.id)).toMatchObject({ status: 'paused', pauseReason: 'quota' });

    clock.advance(61_000);
    expect(await resumeAfterQuota(deps)).toEqual({ resumed: 1, waiting: 0 });
    await drain(fixture);
    expect(await getExecution(deps, 't1', execution.id)).toMatchObject({
      status: 'success',
      counts: { fetched: ACCOUNTS + CONTACTS, created: ACCOUNTS + CONTACTS, failed: 0 },
      streams: { accounts: { counts: { created: ACCOUNTS } }, contacts: { counts: { created: CONTACTS } } },
    });
    // Each batch was read once.
    const served = org.requests.slice(before).filter((call) => call.status === 200 && call.path.includes('/query'));
    expect(served).toHaveLength(ACCOUNTS / BATCH + CONTACTS / BATCH);
  });
});
