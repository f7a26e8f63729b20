import { nextOccurrence } from './scheduleOccurrences.js';
import { timingOf, type Schedule, type ScheduleInput } from '../schemas/schedule.js';

/**
 * The schedule a save request makes, over the stored one if any. Evaluation restarts now when the
 * timing changes or the schedule is (re-)enabled: occurrences of an old pattern, or of a time the
 * schedule was off, are not "missed" and must not be caught up. An interval counts from when it
 * was set. Otherwise the scheduler's bookkeeping is kept as it is.
 */
export function reviseSchedule(
  input: ScheduleInput,
  existing: Schedule | undefined,
  ids: { id: string; tenantId: string },
  now: Date,
): Schedule {
  const at = now.toISOString();
  const intervalChanged = JSON.stringify(input.interval) !== JSON.stringify(existing?.interval);
  const timingChanged = intervalChanged || input.cron !== existing?.cron || input.timeZone !== existing?.timeZone;
  const restart = !existing || timingChanged || (input.enabled && !existing.enabled);
  const schedule: Schedule = {
    ...ids,
    taskId: input.taskId,
    ...(input.cron !== undefined ? { cron: input.cron } : {}),
    ...(input.interval !== undefined ? { interval: input.interval } : {}),
    timeZone: input.timeZone,
    mode: input.mode,
    enabled: input.enabled,
    missedRunPolicy: input.missedRunPolicy,
    maxCatchUp: input.maxCatchUp,
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
    anchor: !existing || intervalChanged ? at : existing.anchor,
    lastEvaluatedAt: restart ? at : existing.lastEvaluatedAt,
    lastFiredAt: existing?.lastFiredAt ?? null,
    nextFireAt: null,
  };
  const next = schedule.enabled ? nextOccurrence(timingOf(schedule), new Date(schedule.lastEvaluatedAt)) : null;
  return { ...schedule, nextFireAt: next?.toISOString() ?? null };
}
