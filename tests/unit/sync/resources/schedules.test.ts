import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schedulesFixture, type SchedulesFixture } from '../schedulesFixture.js';
import { deleteSchedule, getSchedule, listSchedules, saveSchedule } from '../../../../shared/sync/resources/schedules.js';
import { runDueSchedules } from '../../../../shared/sync/triggers/runDueSchedules.js';
import { InvalidInputError } from '../../../../shared/sync/invalidInputError.js';
import { UnknownResourceError } from '../../../../shared/sync/unknownResourceError.js';

describe('schedules: create, read, update, delete', () => {
  let fixture: SchedulesFixture;
  beforeEach(async () => {
    fixture = await schedulesFixture('2026-03-28T12:00:00Z');
  });
  afterEach(() => fixture.close());

  const save = (body: Record<string, unknown>, id?: string) => saveSchedule(fixture.deps, 't1', body, id);
  /** The paths of the 422 a body gets. */
  const refused = async (body: Record<string, unknown>) => {
    const error = await save(body).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).issues.map((issue) => issue.path);
  };

  it('fills in the defaults and shows when it fires next (in its time zone) and last fired', async () => {
    const { schedule, created } = await save({ taskId: 'task', cron: '30 2 * * *', timeZone: 'europe/berlin' });
    expect(created).toBe(true);
    expect(schedule).toMatchObject({
      id: expect.stringMatching(/^sch_/),
      tenantId: 't1',
      taskId: 'task',
      cron: '30 2 * * *',
      timeZone: 'Europe/Berlin',
      mode: 'incremental',
      enabled: true,
      missedRunPolicy: 'once',
      maxCatchUp: 10,
      createdAt: '2026-03-28T12:00:00.000Z',
      lastEvaluatedAt: '2026-03-28T12:00:00.000Z',
      // 02:30 does not exist on Mar 29 in Berlin: 03:00 CEST.
      nextFireAt: '2026-03-29T01:00:00.000Z',
      lastFiredAt: null,
    });
    expect(await getSchedule(fixture.deps, 't1', schedule.id)).toMatchObject({ nextFireAt: '2026-03-29T01:00:00.000Z', lastFiredAt: null });
    expect((await listSchedules(fixture.deps, 't1', {})).items.map((s) => s.id)).toEqual([schedule.id]);
  });

  it('PUT creates or updates by id; a disabled schedule has no next fire time', async () => {
    expect((await save({ taskId: 'task', interval: { every: 15, unit: 'minutes' } }, 'quarterly')).created).toBe(true);
    fixture.at('2026-03-28T12:20:00Z');
    const { schedule, created } = await save({ taskId: 'task', interval: { every: 15, unit: 'minutes' }, enabled: false }, 'quarterly');
    expect(created).toBe(false);
    expect(schedule).toMatchObject({ id: 'quarterly', enabled: false, nextFireAt: null, createdAt: '2026-03-28T12:00:00.000Z', updatedAt: '2026-03-28T12:20:00.000Z' });
  });

  it('keeps the scheduler’s bookkeeping across an update that does not change the timing', async () => {
    await save({ taskId: 'task', cron: '0 * * * *' }, 'hourly');
    fixture.at('2026-03-28T13:00:00Z');
    await runDueSchedules(fixture.deps);
    fixture.at('2026-03-28T13:10:00Z');
    expect((await save({ taskId: 'task-b', cron: '0 * * * *', mode: 'full' }, 'hourly')).schedule).toMatchObject({
      taskId: 'task-b',
      lastEvaluatedAt: '2026-03-28T13:00:00.000Z',
      lastFiredAt: '2026-03-28T13:00:00.000Z',
      nextFireAt: '2026-03-28T14:00:00.000Z',
    });
    // A new pattern starts afresh: what the old one would have missed is not caught up.
    expect((await save({ taskId: 'task', cron: '5 * * * *' }, 'hourly')).schedule).toMatchObject({
      lastEvaluatedAt: '2026-03-28T13:10:00.000Z',
      nextFireAt: '2026-03-28T14:05:00.000Z',
    });
  });

  it('an interval counts from when it was set', async () => {
    fixture.at('2026-03-28T12:07:00Z');
    expect((await save({ taskId: 'task', interval: { every: 1, unit: 'hours' } }, 'hourly')).schedule.nextFireAt).toBe('2026-03-28T13:07:00.000Z');
  });

  it('refuses bad input with a 422 naming the field', async () => {
    expect(await refused({ taskId: 'task', cron: '* * * *' })).toEqual(['cron']);
    expect(await refused({ taskId: 'task', cron: '0 0 0 * * * *' })).toEqual(['cron']);
    expect(await refused({ taskId: 'task', cron: '61 * * * *' })).toEqual(['cron']);
    expect(await refused({ taskId: 'task', cron: '0 0 30 2 *' })).toEqual(['cron']);
    expect(await refused({ taskId: 'task', interval: { every: 0, unit: 'minutes' } })).toEqual(['interval.every']);
    expect(await refused({ taskId: 'task', interval: { every: 1, unit: 'weeks' } })).toEqual(['interval.unit']);
    expect(await refused({ taskId: 'task', cron: '0 * * * *', timeZone: 'Mars/Olympus' })).toEqual(['timeZone']);
    expect(await refused({ taskId: 'task', cron: '0 * * * *', interval: { every: 5, unit: 'minutes' } })).toEqual(['cron']);
    expect(await refused({ taskId: 'task' })).toEqual(['cron']);
    expect(await refused({ taskId: 'task', cron: '0 * * * *', maxCatchUp: 0 })).toEqual(['maxCatchUp']);
    expect(await refused({ taskId: 'task', cron: '0 * * * *', maxCatchUp: 101, missedRunPolicy: 'never' })).toEqual(['missedRunPolicy', 'maxCatchUp']);
    expect(await refused({ taskId: 'task', cron: '0 * * * *', colour: 'red' })).toEqual(['colour']);
    expect(await refused({ taskId: 'nope', cron: '0 * * * *' })).toEqual(['taskId']);
    expect((await listSchedules(fixture.deps, 't1', {})).items).toEqual([]);
  });

  it('the 422 messages say what is wrong', async () => {
    const messages = async (body: Record<string, unknown>) =>
      ((await save(body).catch((error: unknown) => error)) as InvalidInputError).issues.map((issue) => issue.message);
    expect(await messages({ taskId: 'task', cron: '* * * *' })).toEqual([expect.stringMatching(/5 or 6 fields/)]);
    expect(await messages({ taskId: 'task', cron: '0 * * * *', timeZone: 'Mars/Olympus' })).toEqual(['"Mars/Olympus" is not an IANA time zone such as "Europe/Berlin"']);
    expect(await messages({ taskId: 'nope', cron: '0 * * * *' })).toEqual(['task "nope" does not exist']);
  });

  it('an unknown tenant is a 404, whatever the request', async () => {
    const tenant = { resource: 'tenant', resourceId: 'ghost' };
    await expect(saveSchedule(fixture.deps, 'ghost', { taskId: 'task', cron: '0 * * * *' })).rejects.toMatchObject(tenant);
    await expect(listSchedules(fixture.deps, 'ghost', {})).rejects.toMatchObject(tenant);
    await expect(getSchedule(fixture.deps, 'ghost', 'any')).rejects.toMatchObject(tenant);
    await expect(deleteSchedule(fixture.deps, 'ghost', 'any')).rejects.toMatchObject(tenant);
  });

  it('deletes; an absent schedule is a 404', async () => {
    await save({ taskId: 'task', cron: '0 * * * *' }, 'hourly');
    await deleteSchedule(fixture.deps, 't1', 'hourly');
    await expect(getSchedule(fixture.deps, 't1', 'hourly')).rejects.toBeInstanceOf(UnknownResourceError);
    await expect(deleteSchedule(fixture.deps, 't1', 'hourly')).rejects.toMatchObject({ resource: 'schedule', resourceId: 'hourly' });
  });
});
