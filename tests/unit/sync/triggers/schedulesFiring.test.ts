import { afterEach, describe, expect, it } from 'vitest';
import { occurrenceOf, schedulesFixture, type SchedulesFixture } from '../schedulesFixture.js';
import type { Schedule } from '../../../../shared/core/schemas/schedule.js';
import { runDueSchedules } from '../../../../shared/sync/triggers/runDueSchedules.js';
import { PreconditionFailedError } from '../../../../shared/ports/preconditionFailedError.js';
import { getSchedule, saveSchedule } from '../../../../shared/sync/resources/schedules.js';

describe('the scheduler fires each occurrence exactly once', () => {
  let fixture: SchedulesFixture;
  afterEach(() => fixture?.close());

  const schedule = async (body: Record<string, unknown>, id = 'nightly') => (await saveSchedule(fixture.deps, 't1', { taskId: 'task', ...body }, id)).schedule;
  /** The occurrences executions were started for, in time order (catch-up runs share one createdAt). */
  const fired = async () => (await fixture.executions()).map(occurrenceOf).sort();

  describe('daily 30 2 * * * in Europe/Berlin, ticking minute by minute', () => {
    it('across spring forward (Mar 29 2026): once a day, at 03:00 CEST on the day 02:30 does not exist', async () => {
      fixture = await schedulesFixture('2026-03-27T12:00:00Z');
      await schedule({ cron: '30 2 * * *', timeZone: 'Europe/Berlin' });
      await fixture.tickEveryMinuteUntil('2026-03-30T12:00:00Z');
      expect(await fired()).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
    });

    it('across fall back (Oct 25 2026): once a day, on the first 02:30 of the repeated hour', async () => {
      fixture = await schedulesFixture('2026-10-23T12:00:00Z');
      await schedule({ cron: '30 2 * * *', timeZone: 'Europe/Berlin' });
      await fixture.tickEveryMinuteUntil('2026-10-26T12:00:00Z');
      expect(await fired()).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    });
  });

  it('runs executions as the schedule says: mode, idempotency key, actor, and the bookkeeping advances', async () => {
    fixture = await schedulesFixture('2026-01-01T09:59:30Z');
    await schedule({ cron: '0 * * * *', mode: 'full' }, 'hourly');
    fixture.at('2026-01-01T10:00:00Z');
    expect(await runDueSchedules(fixture.deps)).toEqual({ tenants: 1, schedules: 1, fired: 1, skipped: 0, refused: 0, failed: 0 });
    const [execution] = await fixture.executions();
    expect(execution).toMatchObject({ taskId: 'task', mode: 'full', status: 'queued', idempotencyKey: 'schedule:hourly:2026-01-01T10:00:00.000Z' });
    expect((await fixture.activity('execution.queued'))[0]).toMatchObject({ actor: { type: 'schedule', id: 'hourly' }, executionId: execution!.id });
    expect(await fixture.activity('schedule.fired')).toEqual([
      expect.objectContaining({
        actor: { type: 'schedule', id: 'hourly' },
        subject: { kind: 'schedule', id: 'hourly' },
        taskId: 'task',
        details: { count: 1, occurrences: ['2026-01-01T10:00:00.000Z'], executionIds: [execution!.id], missedRunPolicy: 'once' },
      }),
    ]);
    expect(await getSchedule(fixture.deps, 't1', 'hourly')).toMatchObject({
      lastEvaluatedAt: '2026-01-01T10:00:00.000Z',
      lastFiredAt: '2026-01-01T10:00:00.000Z',
      nextFireAt: '2026-01-01T11:00:00.000Z',
    });
  });

  it('two scheduler instances ticking the same minute start one execution and record it once', async () => {
    fixture = await schedulesFixture('2026-01-01T09:59:30Z');
    await schedule({ cron: '0 * * * *' }, 'hourly');
    fixture.at('2026-01-01T10:00:00Z');
    const instances = [fixture.deps, fixture.otherDeps()];
    let lostWrites = 0;
    for (const { store } of instances) {
      const replace = store.replace.bind(store);
      store.replace = (...args) => replace(...args).catch((error: unknown) => {
        if (error instanceof PreconditionFailedError) lostWrites += 1;
        throw error;
      });
    }
    const summaries = await Promise.all(instances.map((deps) => runDueSchedules(deps)));
    // Both planned from the same bookkeeping (one lost the conditional write and planned again, finding nothing left).
    expect(lostWrites).toBe(1);
    expect(summaries.map((s) => [s.fired, s.failed]).sort()).toEqual([[0, 0], [1, 0]]);
    expect(await fired()).toEqual(['2026-01-01T10:00:00.000Z']);
    expect(await fixture.activity('schedule.fired')).toHaveLength(1);
    expect(await fixture.activity('execution.queued')).toHaveLength(1);
    expect((await getSchedule(fixture.deps, 't1', 'hourly')).lastEvaluatedAt).toBe('2026-01-01T10:00:00.000Z');
  });

  it('a retried tick starts nothing new, also when the first try died before its bookkeeping', async () => {
    fixture = await schedulesFixture('2026-01-01T09:59:30Z');
    const saved = await schedule({ cron: '0 * * * *' }, 'hourly');
    fixture.at('2026-01-01T10:00:00Z');
    await runDueSchedules(fixture.deps);
    expect((await runDueSchedules(fixture.deps)).fired).toBe(0);
    // As if the first try had crashed after starting the execution: the bookkeeping is as before it.
    await fixture.deps.store.replace<Schedule>('schedules', saved);
    expect((await runDueSchedules(fixture.deps)).fired).toBe(1);
    expect(await fired()).toEqual(['2026-01-01T10:00:00.000Z']);
    expect(await fixture.activity('schedule.fired')).toHaveLength(1);
  });

  it('a schedule deleted while its tick runs is left deleted, not an error', async () => {
    fixture = await schedulesFixture('2026-01-01T09:59:30Z');
    await schedule({ cron: '0 * * * *' }, 'hourly');
    fixture.at('2026-01-01T10:00:00Z');
    const { store } = fixture.deps;
    const replace = store.replace.bind(store);
    store.replace = async (...args) => {
      await store.delete('schedules', 't1', 'hourly');
      return replace(...args);
    };
    expect(await runDueSchedules(fixture.deps)).toMatchObject({ fired: 0, failed: 0 });
    expect(await fixture.deps.store.read('schedules', 't1', 'hourly')).toBeUndefined();
  });

  describe('3 hours of downtime on an hourly schedule (fired 10:00, scheduler back at 13:30)', () => {
    const afterDowntime = async (missedRunPolicy: string) => {
      fixture = await schedulesFixture('2026-01-01T09:59:30Z');
      await schedule({ cron: '0 * * * *', missedRunPolicy }, 'hourly');
      fixture.at('2026-01-01T10:00:00Z');
      await runDueSchedules(fixture.deps);
      fixture.at('2026-01-01T13:30:00Z');
      const summary = await runDueSchedules(fixture.deps);
      await fixture.tickEveryMinuteUntil('2026-01-01T13:40:00Z');
      return summary;
    };
    const missedEntries = async () => (await fixture.activity('schedule.skipped')).map((entry) => entry.details);

    it('once: one catch-up execution, for 13:00; the other two are recorded as skipped', async () => {
      expect(await afterDowntime('once')).toMatchObject({ fired: 1, skipped: 2 });
      expect(await fired()).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T13:00:00.000Z']);
      expect(await missedEntries()).toEqual([
        { count: 2, moreSkipped: false, first: '2026-01-01T11:00:00.000Z', last: '2026-01-01T12:00:00.000Z', missedRunPolicy: 'once' },
      ]);
    });

    it('all: three catch-up executions', async () => {
      expect(await afterDowntime('all')).toMatchObject({ fired: 3, skipped: 0 });
      expect(await fired()).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T11:00:00.000Z', '2026-01-01T12:00:00.000Z', '2026-01-01T13:00:00.000Z']);
      expect((await fixture.activity('schedule.fired')).at(-1)!.details).toMatchObject({ count: 3 });
      expect(await missedEntries()).toEqual([]);
    });

    it('skip: none; all three are recorded as skipped', async () => {
      expect(await afterDowntime('skip')).toMatchObject({ fired: 0, skipped: 3 });
      expect(await fired()).toEqual(['2026-01-01T10:00:00.000Z']);
      expect(await missedEntries()).toEqual([
        { count: 3, moreSkipped: false, first: '2026-01-01T11:00:00.000Z', last: '2026-01-01T13:00:00.000Z', missedRunPolicy: 'skip' },
      ]);
      expect(await getSchedule(fixture.deps, 't1', 'hourly')).toMatchObject({ lastFiredAt: '2026-01-01T10:00:00.000Z', nextFireAt: '2026-01-01T14:00:00.000Z' });
    });
  });

  it('an interval of 15 minutes fires every 15 minutes from when it was set', async () => {
    fixture = await schedulesFixture('2026-01-01T10:02:00Z');
    await schedule({ interval: { every: 15, unit: 'minutes' } }, 'quarterly');
    await fixture.tickEveryMinuteUntil('2026-01-01T11:05:00Z');
    expect(await fired()).toEqual(['2026-01-01T10:17:00.000Z', '2026-01-01T10:32:00.000Z', '2026-01-01T10:47:00.000Z', '2026-01-01T11:02:00.000Z']);
  });

  it('a start refused because the task is gone is logged and recorded; other schedules still fire', async () => {
    const warnings: string[] = [];
    fixture = await schedulesFixture('2026-01-01T09:59:30Z');
    fixture.deps.log.warn = (message) => warnings.push(message);
    await schedule({ cron: '0 * * * *' }, 'orphan');
    await saveSchedule(fixture.deps, 't1', { taskId: 'task-b', cron: '0 * * * *' }, 'healthy');
    await fixture.deps.store.delete('tasks', 't1', 'task');
    fixture.at('2026-01-01T10:00:00Z');
    expect(await runDueSchedules(fixture.deps)).toMatchObject({ schedules: 2, fired: 1, refused: 1, failed: 0 });
    expect((await fixture.executions()).map((e) => e.taskId)).toEqual(['task-b']);
    expect(await fixture.activity('schedule.refused')).toEqual([
      expect.objectContaining({ subject: { kind: 'schedule', id: 'orphan' }, details: { occurrence: '2026-01-01T10:00:00.000Z', reason: 'task "task" does not exist' } }),
    ]);
    expect(warnings).toEqual(['a scheduled start was refused']);
    // Decided: the next tick does not try that occurrence again.
    expect((await getSchedule(fixture.deps, 't1', 'orphan')).lastEvaluatedAt).toBe('2026-01-01T10:00:00.000Z');
  });

  it('a disabled schedule does not fire, and enabling it again does not catch up the time it was off', async () => {
    fixture = await schedulesFixture('2026-01-01T09:59:30Z');
    await schedule({ cron: '0 * * * *', enabled: false, missedRunPolicy: 'all' }, 'hourly');
    await fixture.tickEveryMinuteUntil('2026-01-01T12:30:00Z');
    expect(await fired()).toEqual([]);
    await schedule({ cron: '0 * * * *', missedRunPolicy: 'all' }, 'hourly');
    await fixture.tickEveryMinuteUntil('2026-01-01T13:00:00Z');
    expect(await fired()).toEqual(['2026-01-01T13:00:00.000Z']);
  });

  it('a scheduled start is not refused by the tenant’s start rate limit', async () => {
    fixture = await schedulesFixture('2026-01-01T09:59:30Z');
    for (let n = 0; n < 15; n += 1) await saveSchedule(fixture.deps, 't1', { taskId: 'task', cron: '* * * * *' }, `every-minute-${n}`);
    fixture.at('2026-01-01T10:00:00Z');
    expect(await runDueSchedules(fixture.deps)).toMatchObject({ fired: 15, refused: 0, failed: 0 });
  });
});
