import { nextOccurrence, occurrencesBetween } from './scheduleOccurrences.js';
import { timingOf, type Schedule } from '../schemas/schedule.js';

/**
 * An occurrence this recent is on time: the current tick of the minutely scheduler, with slack
 * for a timer that fires a little early or late (an occurrence at 10:00:00 evaluated first at
 * 10:01:00.02 because the 10:00 tick ran at 09:59:59.99 is not "missed").
 */
export const ON_TIME_MS = 90_000;

/** Missed occurrences looked at (maxCatchUp is at most 100); beyond this, `moreSkipped` says there were more. */
export const MISSED_LOOKBACK = 1000;

export interface FiringPlan {
  /** Occurrences to start now, oldest first. */
  fire: Date[];
  /** Missed occurrences the policy drops, oldest first. */
  skipped: Date[];
  /** More occurrences were missed than `skipped` lists (a very long outage). */
  moreSkipped: boolean;
  /** The first occurrence after `now`; null when the pattern never matches again. */
  next: Date | null;
}

export type FiringSchedule = Pick<Schedule, 'cron' | 'interval' | 'timeZone' | 'anchor' | 'missedRunPolicy' | 'maxCatchUp'>;

/**
 * What the scheduler does with the occurrences in (lastEvaluatedAt, now]. Those within the current
 * tick fire. Older ones were missed (the scheduler was down) and follow the policy:
 * - `skip`: none of them fires;
 * - `once`: missed runs collapse into one — the latest missed, or none when an on-time occurrence
 *   fires anyway (a sync right after another adds nothing);
 * - `all`: each fires, the latest `maxCatchUp` of them.
 */
export function planFiring(schedule: FiringSchedule, lastEvaluatedAt: Date, now: Date): FiringPlan {
  const timing = timingOf(schedule);
  const onTimeFrom = new Date(Math.max(lastEvaluatedAt.getTime(), now.getTime() - ON_TIME_MS));
  const onTime = occurrencesBetween(timing, onTimeFrom, now);
  const found = occurrencesBetween(timing, lastEvaluatedAt, onTimeFrom, MISSED_LOOKBACK + 1);
  const moreSkipped = found.length > MISSED_LOOKBACK;
  const missed = moreSkipped ? found.slice(1) : found;
  const catchUp =
    schedule.missedRunPolicy === 'all'
      ? missed.slice(-schedule.maxCatchUp)
      : schedule.missedRunPolicy === 'once' && onTime.length === 0
        ? missed.slice(-1)
        : [];
  return {
    fire: [...catchUp, ...onTime],
    skipped: missed.slice(0, missed.length - catchUp.length),
    moreSkipped,
    next: nextOccurrence(timing, now),
  };
}
