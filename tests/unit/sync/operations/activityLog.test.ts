import { embeddedDeps } from '../embeddedDeps.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { recordActivity } from '../../../../shared/sync/operations/activityLog.js';
import { listActivity } from '../../../../shared/sync/queries/activityQueries.js';
import { InvalidInputError } from '../../../../shared/sync/invalidInputError.js';
import { UnknownResourceError } from '../../../../shared/sync/unknownResourceError.js';

describe('activity log', () => {
  let db: SqliteDatabase;
  let deps: SyncDeps;
  let now: number;
  const at = (iso: string) => (now = Date.parse(iso));

  beforeEach(async () => {
    db = openDatabase(':memory:');
    now = Date.parse('2024-05-01T10:00:00.000Z');
    const clock = { now: () => new Date(now) };
    deps = embeddedDeps(db, { clock });
    await putTenant(deps, 't1', {});
  });
  afterEach(() => db.close());

  const operator = { type: 'operator' as const, id: 'alice' };
  const started = (executionId: string, taskId: string) => ({
    tenantId: 't1',
    actor: { type: 'system' as const },
    action: 'execution.started',
    subject: { kind: 'execution', id: executionId },
    executionId,
    taskId,
  });
  const list = async (params: Record<string, string> = {}) => listActivity(deps, 't1', params);

  it('lists entries newest first, filtered by action, execution, task and time', async () => {
    at('2024-05-01T10:00:00.000Z');
    await recordActivity(deps, started('exe_1', 'orders'));
    at('2024-05-01T11:00:00.000Z');
    await recordActivity(deps, { tenantId: 't1', actor: operator, action: 'connection.updated', subject: { kind: 'connection', id: 'shop' } });
    at('2024-05-01T12:00:00.000Z');
    await recordActivity(deps, started('exe_2', 'customers'));
    at('2024-05-01T13:00:00.000Z');
    await recordActivity(deps, { ...started('exe_2', 'customers'), action: 'batch.processed', details: { created: 50 } });

    const all = await list();
    expect(all.items.map((entry) => entry.action)).toEqual(['batch.processed', 'execution.started', 'connection.updated', 'execution.started']);
    expect(all.items[0]).toMatchObject({ tenantId: 't1', at: '2024-05-01T13:00:00.000Z', details: { created: 50 }, subject: { kind: 'execution', id: 'exe_2' } });
    expect(all.items[2]).toMatchObject({ actor: { type: 'operator', id: 'alice' } });

    expect((await list({ action: 'execution.started' })).items.map((e) => e.executionId)).toEqual(['exe_2', 'exe_1']);
    expect((await list({ executionId: 'exe_2' })).items.map((e) => e.action)).toEqual(['batch.processed', 'execution.started']);
    expect((await list({ taskId: 'orders' })).items.map((e) => e.executionId)).toEqual(['exe_1']);
    // since inclusive, until exclusive; any offset is accepted.
    const window = await list({ since: '2024-05-01T13:00:00+02:00', until: '2024-05-01T12:00:00Z' });
    expect(window.items.map((e) => e.at)).toEqual(['2024-05-01T11:00:00.000Z']);
  });

  it('pages with limit and continuationToken, newest first across pages', async () => {
    for (let minute = 0; minute < 5; minute += 1) {
      at(`2024-05-01T10:0${minute}:00.000Z`);
      await recordActivity(deps, started(`exe_${minute}`, 'orders'));
    }
    const first = await list({ limit: '2' });
    const second = await list({ limit: '2', continuationToken: first.continuationToken! });
    const third = await list({ limit: '2', continuationToken: second.continuationToken! });
    expect([...first.items, ...second.items, ...third.items].map((e) => e.executionId)).toEqual(['exe_4', 'exe_3', 'exe_2', 'exe_1', 'exe_0']);
    expect(third.continuationToken).toBeUndefined();
  });

  it('the same key records one entry however often it is recorded', async () => {
    const event = { ...started('exe_1', 'orders'), key: 'execution.started:exe_1' };
    expect(await recordActivity(deps, event)).toMatchObject({ recorded: true });
    at('2024-05-01T10:05:00.000Z');
    const again = await recordActivity(deps, event);
    expect(again).toMatchObject({ recorded: false });
    const { items } = await list();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: again.id, at: '2024-05-01T10:00:00.000Z' });
  });

  it("entries expire after the tenant's activityDays", async () => {
    await putTenant(deps, 't2', { settings: { retention: { activityDays: 2 } } });
    await recordActivity(deps, { ...started('exe_1', 'orders'), tenantId: 't2' });
    at('2024-05-03T09:59:00.000Z');
    expect((await listActivity(deps, 't2', {})).items).toHaveLength(1);
    at('2024-05-03T10:00:01.000Z');
    expect((await listActivity(deps, 't2', {})).items).toHaveLength(0);
  });

  it('a bad since or until is a 422 naming the query parameter', async () => {
    await expect(list({ since: 'yesterday' })).rejects.toThrow(InvalidInputError);
    const error = await list({ since: 'yesterday', until: '2024-05-01' }).catch((e: InvalidInputError) => e);
    expect((error as InvalidInputError).issues.map((issue) => issue.path)).toEqual(['query.since', 'query.until']);
    const reversed = await list({ since: '2024-05-02T00:00:00Z', until: '2024-05-01T00:00:00Z' }).catch((e: InvalidInputError) => e);
    expect((reversed as InvalidInputError).issues).toEqual([{ path: 'query.until', message: 'must not be before since' }]);
  });

  it('an unknown tenant is a 404, for listing and recording', async () => {
    await expect(listActivity(deps, 'ghost', {})).rejects.toThrow(UnknownResourceError);
    await expect(recordActivity(deps, { ...started('exe_1', 'orders'), tenantId: 'ghost' })).rejects.toThrow(UnknownResourceError);
  });
});
