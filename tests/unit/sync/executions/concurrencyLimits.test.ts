import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { admitExecution } from '../../../../shared/sync/executions/admitExecution.js';
import { messageIds } from '../../../../shared/core/messageIds.js';
import type { OutgoingMessage } from '../../../../shared/ports/bus.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { drain, step, syncFixture, type SyncFixture } from '../syncFixture.js';

describe('concurrency limits', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  const statuses = async (executionIds: string[]) =>
    Promise.all(executionIds.map(async (id) => (await getExecution(fixture.deps, 't1', id)).status));

  it('6 concurrent starts for a tenant with a limit of 5 run 5 and queue 1, which runs when a slot frees', async () => {
    fixture = await syncFixture(40);
    const executionIds: string[] = [];
    for (let i = 1; i <= 6; i++) {
      await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'customers' }] }, `task-${i}`);
      executionIds.push((await startExecution(fixture.deps, 't1', `task-${i}`, {})).execution.id);
    }
    expect(await step(fixture, 'sync-start', 6)).toBe(6);
    const afterStart = await statuses(executionIds);
    expect(afterStart.filter((s) => s === 'running')).toHaveLength(5);
    expect(afterStart.filter((s) => s === 'queued')).toHaveLength(1);

    await drain(fixture);
    expect(await statuses(executionIds)).toEqual(Array(6).fill('success'));
  });

  it('one execution per task at a time: the second waits, queued, then runs', async () => {
    fixture = await syncFixture(40);
    const first = await startExecution(fixture.deps, 't1', 'task', {});
    const second = await startExecution(fixture.deps, 't1', 'task', {});
    await step(fixture, 'sync-start', 2);
    expect(await statuses([first.execution.id, second.execution.id])).toEqual(['running', 'queued']);
    await drain(fixture);
    const views = await Promise.all([first, second].map(({ execution }) => getExecution(fixture.deps, 't1', execution.id)));
    expect(views.map((v) => v.status)).toEqual(['success', 'success']);
    expect(views[1]!.counts).toMatchObject({ unchanged: 40, created: 0 });
  });

  it('a waiting execution looks again 2–4 s later, drawn from deps.random, under a fresh message id', async () => {
    fixture = await syncFixture(20);
    const first = await startExecution(fixture.deps, 't1', 'task', {});
    await step(fixture, 'sync-start');
    const second = await startExecution(fixture.deps, 't1', 'task', {});
    const now = new Date('2026-03-01T00:00:00.000Z');
    const published: OutgoingMessage[] = [];
    const deps = {
      ...fixture.deps,
      clock: { now: () => now },
      random: () => 0.25,
      bus: { publish: async (_queue: string, messages: OutgoingMessage[]) => void published.push(...messages) },
    };
    await admitExecution(deps, { tenantId: 't1', executionId: second.execution.id }, { messageId: messageIds.start(second.execution.id) });
    expect(await statuses([first.execution.id, second.execution.id])).toEqual(['running', 'queued']);
    expect(published).toEqual([
      expect.objectContaining({
        messageId: `${second.execution.id}:start:w${now.getTime()}:250000000`,
        scheduledEnqueueTime: new Date(now.getTime() + 2_500),
      }),
    ]);
  });

  it("a crashed holder's lease expires; until then the task waits", async () => {
    fixture = await syncFixture(20);
    const lease = (expiresAtMs: number) => ({ id: 'lease:task:task', tenantId: 't1', kind: 'lease', holder: 'exe_dead', expiresAtMs });
    await fixture.deps.store.upsert('coordination', lease(Date.now() + 60_000));
    const blocked = await startExecution(fixture.deps, 't1', 'task', {});
    await step(fixture, 'sync-start');
    expect(await statuses([blocked.execution.id])).toEqual(['queued']);

    await fixture.deps.store.upsert('coordination', lease(Date.now() - 1));
    const next = await startExecution(fixture.deps, 't1', 'task-b', {});
    await step(fixture, 'sync-start'); // task-b is another task: unaffected either way
    await fixture.deps.bus.publish('sync-start', [{ body: { tenantId: 't1', executionId: blocked.execution.id }, messageId: 'retry-now' }]);
    await step(fixture, 'sync-start');
    expect(await statuses([blocked.execution.id, next.execution.id])).toEqual(['running', 'running']);
  });
});
