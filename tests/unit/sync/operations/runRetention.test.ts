import { embeddedDeps } from '../embeddedDeps.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import type { Execution, ExecutionStatus, Marker, ParkedMessage } from '../../../../shared/core/schemas/execution.js';
import type { Doc } from '../../../../shared/ports/store.js';
import type { Failure } from '../../../../shared/core/schemas/failure.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { recordActivity } from '../../../../shared/sync/operations/activityLog.js';
import { listActivity } from '../../../../shared/sync/queries/activityQueries.js';
import { runRetention, type RetentionSummary } from '../../../../shared/sync/operations/runRetention.js';
import { registerTenant } from '../../../../shared/sync/tenants/registeredTenants.js';

const DAY = 86_400_000;
const NOW = Date.parse('2024-06-30T12:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW - days * DAY).toISOString();

describe('retention cleanup', () => {
  let db: SqliteDatabase;
  let deps: SyncDeps;
  let now: number;

  beforeEach(async () => {
    db = openDatabase(':memory:');
    now = NOW;
    const clock = { now: () => new Date(now) };
    deps = embeddedDeps(db, { clock });
  });
  afterEach(() => db.close());

  const tenant = async (tenantId: string, retention: Record<string, number> = {}) => {
    await putTenant(deps, tenantId, { settings: { retention } });
    await registerTenant(deps, tenantId);
  };

  /** An execution that finished `finishedDaysAgo` days ago (or is still running when null), with its markers. */
  const execution = async (tenantId: string, id: string, status: ExecutionStatus, finishedDaysAgo: number | null, markers = 2) => {
    // Only what retention reads: the rest of an execution is no concern of it.
    const doc = {
      id,
      tenantId,
      kind: 'execution',
      taskId: 'task',
      status,
      createdAt: daysAgo((finishedDaysAgo ?? 0) + 1),
      ...(finishedDaysAgo === null ? {} : { finishedAt: daysAgo(finishedDaysAgo) }),
    } satisfies Partial<Execution> & Doc;
    await deps.store.create('executions', doc);
    for (let page = 1; page <= markers; page += 1) {
      await deps.store.create<Marker>('executions', { id: `marker:batch:${id}:customers:${page}`, tenantId, kind: 'marker', executionId: id, createdAt: doc.createdAt });
    }
  };

  const failure = (tenantId: string, id: string, createdDaysAgo: number) =>
    deps.store.create<Failure>('failures', { id, tenantId, executionId: 'exe_any', stage: 'save', errorClass: 'ValidationError', message: 'email missing', attempts: 1, status: 'open', createdAt: daysAgo(createdDaysAgo) });

  const activityAt = async (tenantId: string, action: string, recordedDaysAgo: number) => {
    now = NOW - recordedDaysAgo * DAY;
    await recordActivity(deps, { tenantId, actor: { type: 'system' }, action, subject: { kind: 'execution', id: 'exe_any' } });
    now = NOW;
  };

  const ids = async (container: 'executions' | 'failures', tenantId: string) =>
    (await deps.store.query(container, tenantId, {}, { maxItems: 1000 })).items.map((doc) => doc.id).sort();
  const actions = async (tenantId: string) => (await listActivity(deps, tenantId, {})).items.map((entry) => entry.action);

  it('deletes old finished executions with their markers and parked messages, old failures and old activity; keeps running and recent work', async () => {
    // Activity written while the tenant kept it a year; the tenant has since shortened that to 30 days.
    await tenant('t1', { activityDays: 365 });
    await activityAt('t1', 'execution.started', 40);
    await activityAt('t1', 'execution.paused', 10);
    await tenant('t1', { executionsDays: 30, failuresDays: 14, activityDays: 30 });
    await execution('t1', 'exe_ok', 'success', 31);
    await execution('t1', 'exe_failed', 'failed', 45);
    await execution('t1', 'exe_cancelled', 'cancelled', 60, 0);
    // A message parked while it was paused, left behind by a crash before its release.
    await deps.store.create<ParkedMessage>('executions', {
      id: 'parked:exe_cancelled:1', tenantId: 't1', kind: 'parked', executionId: 'exe_cancelled', queue: 'sync-page', messageId: 'm1', body: {}, parkedAt: daysAgo(61),
    });
    await execution('t1', 'exe_partial', 'partial', 90);
    await execution('t1', 'exe_recent', 'success', 29);
    await execution('t1', 'exe_running', 'running', null);
    await failure('t1', 'fail_old', 15);
    await failure('t1', 'fail_new', 13);

    const summary = await runRetention(deps);

    expect(summary).toEqual({ tenants: 1, deleted: { executions: 4, markers: 7, failures: 1, activity: 1 }, more: false, purgedExpired: 0 });
    expect(await ids('executions', 't1')).toEqual([
      'exe_recent',
      'exe_running',
      'marker:batch:exe_recent:customers:1',
      'marker:batch:exe_recent:customers:2',
      'marker:batch:exe_running:customers:1',
      'marker:batch:exe_running:customers:2',
    ]);
    expect(await ids('failures', 't1')).toEqual(['fail_new']);
    expect(await actions('t1')).toEqual(['retention.applied', 'execution.paused']);
    expect((await listActivity(deps, 't1', { action: 'retention.applied' })).items[0]).toMatchObject({
      actor: { type: 'system' },
      subject: { kind: 'tenant', id: 't1' },
      details: { executions: 4, markers: 7, failures: 1, activity: 1, more: false },
    });
  });

  it("honours each tenant's own settings", async () => {
    await tenant('short', { executionsDays: 7, failuresDays: 7 });
    await tenant('long', { executionsDays: 365, failuresDays: 365 });
    for (const tenantId of ['short', 'long']) {
      await execution(tenantId, 'exe_1', 'success', 100);
      await failure(tenantId, 'fail_1', 100);
    }

    const summary = await runRetention(deps);

    expect(summary).toEqual({ tenants: 2, deleted: { executions: 1, markers: 2, failures: 1, activity: 0 }, more: false, purgedExpired: 0 });
    expect(await ids('executions', 'short')).toEqual([]);
    expect(await ids('failures', 'short')).toEqual([]);
    expect(await ids('executions', 'long')).toHaveLength(3);
    expect(await ids('failures', 'long')).toEqual(['fail_1']);
    expect(await actions('long')).toEqual([]);
  });

  it('does bounded work per tenant and reports more until the backlog is gone', async () => {
    await tenant('t1', { executionsDays: 30, failuresDays: 30 });
    for (let n = 1; n <= 4; n += 1) await execution('t1', `exe_${n}`, 'success', 40 + n);
    await failure('t1', 'fail_1', 40);
    await failure('t1', 'fail_2', 40);
    // 4 executions + 8 markers + 2 failures = 14 deletions.

    const runs: RetentionSummary[] = [];
    for (;;) {
      const summary = await runRetention(deps, { maxDeletionsPerTenant: 5 });
      runs.push(summary);
      expect(summary.deleted.executions + summary.deleted.markers + summary.deleted.failures).toBeLessThanOrEqual(5);
      if (!summary.more) break;
      expect(runs.length).toBeLessThan(10);
    }
    expect(runs.map((run) => run.more)).toEqual([true, true, false]);
    const total = (kind: 'executions' | 'markers' | 'failures') => runs.reduce((sum, run) => sum + run.deleted[kind], 0);
    expect([total('executions'), total('markers'), total('failures')]).toEqual([4, 8, 2]);
    expect(await ids('executions', 't1')).toEqual([]);
    expect(await ids('failures', 't1')).toEqual([]);
  });

  it('a budget that exactly covers the backlog reports no more', async () => {
    await tenant('t1', { executionsDays: 30 });
    await execution('t1', 'exe_1', 'success', 40, 3);
    expect(await runRetention(deps, { maxDeletionsPerTenant: 4 })).toMatchObject({ deleted: { executions: 1, markers: 3 }, more: false });
  });

  it('running again deletes nothing and records nothing more', async () => {
    await tenant('t1', { executionsDays: 30 });
    await execution('t1', 'exe_1', 'failed', 40);
    await runRetention(deps);
    expect(await runRetention(deps)).toEqual({ tenants: 1, deleted: { executions: 0, markers: 0, failures: 0, activity: 0 }, more: false, purgedExpired: 0 });
    expect(await actions('t1')).toEqual(['retention.applied']);
  });

  it('registering a tenant twice walks it once', async () => {
    await tenant('t1');
    await registerTenant(deps, 't1');
    expect((await runRetention(deps)).tenants).toBe(1);
  });

  it('walks tenants registered under the kind\'s old spelling (`tenantRegistration`) too', async () => {
    await tenant('t1');
    await putTenant(deps, 't2', {});
    // As registered before: the same document, its kind spelt the old way.
    await deps.store.upsert('tenants', { id: 't2', tenantId: '__system__', kind: 'tenantRegistration' });
    expect((await runRetention(deps)).tenants).toBe(2);
  });

  it('frees the space of documents past their TTL in a store that only hides them', async () => {
    await tenant('t1');
    await deps.store.create('pages', { id: 'old-page', tenantId: 't1', ttl: 60 });
    await deps.store.create('pages', { id: 'fresh-page', tenantId: 't1', ttl: 3600 });
    now += 120_000;
    expect((await runRetention(deps)).purgedExpired).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM docs WHERE container = 'pages'").get()).toEqual({ n: 1 });
  });
});
