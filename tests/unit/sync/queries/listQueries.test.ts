import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { listActivity } from '../../../../shared/sync/queries/activityQueries.js';
import { listConflicts } from '../../../../shared/sync/queries/conflictQueries.js';
import { listConnections } from '../../../../shared/sync/resources/connections.js';
import { listConversionSchemas } from '../../../../shared/sync/resources/conversionSchemas.js';
import { listDedupeRules } from '../../../../shared/sync/entityResolution/dedupeRuleSets.js';
import { listExecutions } from '../../../../shared/sync/executions/executionQueries.js';
import { listFailures } from '../../../../shared/sync/queries/failureQueries.js';
import { listSchedules } from '../../../../shared/sync/resources/schedules.js';
import { listShards } from '../../../../shared/sync/queries/shardQueries.js';
import { listSyncTasks } from '../../../../shared/sync/resources/syncTasks.js';
import { InvalidInputError } from '../../../../shared/sync/invalidInputError.js';
import { embeddedDeps } from '../embeddedDeps.js';

type ListUseCase = (deps: SyncDeps, tenantId: string, params: Record<string, string | undefined>) => Promise<unknown>;

/** Every list behind a `GET tenants/{t}/…` route. */
const LISTS: Record<string, ListUseCase> = {
  activity: listActivity,
  conflicts: listConflicts,
  connections: listConnections,
  schemas: listConversionSchemas,
  'dedupe-rules': listDedupeRules,
  executions: listExecutions,
  failures: listFailures,
  schedules: listSchedules,
  shards: listShards,
  tasks: listSyncTasks,
};
const TIME_FILTERED = ['activity', 'executions'];

describe('list query parameters', () => {
  let db: SqliteDatabase;
  let deps: SyncDeps;

  beforeEach(async () => {
    db = openDatabase(':memory:');
    deps = embeddedDeps(db);
    await putTenant(deps, 't1', {});
  });
  afterEach(() => db.close());

  /** The issues of the 422 a list answers `params` with. */
  const refusal = async (list: ListUseCase, params: Record<string, string>) => {
    const error: unknown = await list(deps, 't1', params).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).issues;
  };

  it('a garbage since or until is a 422 naming it, on every list', async () => {
    const lists = Object.entries(LISTS);
    expect(lists.length).toBeGreaterThan(0);
    for (const [route, list] of lists) {
      for (const garbage of ['yesterday', '2024-05-01', '2024-02-30T00:00:00Z', '1714521600', '']) {
        const issues = await refusal(list, { since: garbage, until: 'not a date' });
        expect(issues.map((issue) => issue.path), `${route} ?since=${garbage}`).toEqual(['query.since', 'query.until']);
      }
    }
  });

  it('an unknown parameter is a 422 naming it, on every list, rather than being ignored', async () => {
    for (const [route, list] of Object.entries(LISTS)) {
      expect(await refusal(list, { typo: 'x', limit: '5' }), route).toEqual([{ path: 'query.typo', message: 'is not recognised here' }]);
    }
  });

  it('a limit out of range or not a number is a 422 naming it, on every list', async () => {
    for (const [route, list] of Object.entries(LISTS)) {
      for (const limit of ['0', '1001', 'ten', '2.5']) {
        expect((await refusal(list, { limit })).map((issue) => issue.path), `${route} ?limit=${limit}`).toEqual(['query.limit']);
      }
    }
  });

  it('paging parameters, and the Functions key callers may send as `code`, are accepted on every list', async () => {
    for (const [route, list] of Object.entries(LISTS)) {
      await expect(list(deps, 't1', { limit: '10', code: 'function-key' }), route).resolves.toMatchObject({ items: [] });
    }
  });

  it('time-filtered lists take any offset, and refuse an until before since, naming until', async () => {
    for (const route of TIME_FILTERED) {
      const list = LISTS[route]!;
      await expect(list(deps, 't1', { since: '2024-05-01T13:00:00+02:00', until: '2024-05-01T12:00:00Z' }), route).resolves.toMatchObject({ items: [] });
      expect(await refusal(list, { since: '2024-05-02T00:00:00Z', until: '2024-05-01T00:00:00Z' }), route).toEqual([
        { path: 'query.until', message: 'must not be before since' },
      ]);
    }
  });
});
