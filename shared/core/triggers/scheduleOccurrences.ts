import { Cron } from 'croner';

export const INTERVAL_UNITS = ['minutes', 'hours', 'days'] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];
export interface Interval {
  every: number;
  unit: IntervalUnit;
}

/** When a schedule fires: a cron pattern read in a time zone, or a fixed interval counted from an anchor. */
export type Timing = { cron: string; timeZone: string } | { interval: Interval; anchor: Date };

const UNIT_MS: Record<IntervalUnit, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/**
 * A cron pattern (5 fields, or 6 with seconds first) in a time zone. Throws on a bad pattern or zone.
 *
 * Daylight saving: a fixed time of day — seconds, minutes and hours without wildcard or step, such
 * as `30 2 * * *` or `0 9,17 * * 1-5` — that falls in the spring-forward gap fires once when the
 * clock has jumped (03:00), and in the repeated fall-back hour fires once (its first pass).
 * Patterns that step through the day (`0 * * * *`, `*\/15 * * * *`) follow elapsed time instead:
 * a wall time that does not exist is not an hour that passed, and a repeated hour is one that
 * passed twice. Croner's default rule ("single-value") would count `30 2,14 * * *` as stepping
 * (skipped in the gap, twice in the repeated hour); "no-wildcard" is Vixie cron's rule.
 */
export function cronPattern(pattern: string, timeZone: string): Cron {
  return new Cron(pattern, { timezone: timeZone, mode: '5-or-6-parts', fixedTimeRule: 'no-wildcard' });
}

/**
 * Occurrences in (after, upTo], oldest first; with a limit, only the latest `limit` of them.
 * Cron occurrences are found walking back from `upTo`, so a long window costs only what is kept.
 */
export function occurrencesBetween(timing: Timing, after: Date, upTo: Date, limit = Number.POSITIVE_INFINITY): Date[] {
  if (upTo <= after || limit <= 0) return [];
  if ('interval' in timing) {
    const period = periodMs(timing.interval);
    const first = firstIndexAfter(timing.anchor, period, after);
    const last = Math.floor((upTo.getTime() - timing.anchor.getTime()) / period);
    const from = Math.max(first, last - limit + 1);
    return Array.from({ length: Math.max(0, last - from + 1) }, (_, i) => new Date(timing.anchor.getTime() + (from + i) * period));
  }
  const cron = cronPattern(timing.cron, timing.timeZone);
  const found: Date[] = [];
  // previousRuns excludes its reference; one millisecond more makes `upTo` itself count.
  let reference = new Date(upTo.getTime() + 1);
  while (found.length < limit) {
    const [previous] = cron.previousRuns(1, reference);
    if (!previous || previous <= after) break;
    found.push(previous);
    reference = previous;
  }
  return found.reverse();
}

/** The first occurrence strictly after `after`; null for a pattern that never matches again. */
export function nextOccurrence(timing: Timing, after: Date): Date | null {
  if ('interval' in timing) {
    const period = periodMs(timing.interval);
    return new Date(timing.anchor.getTime() + firstIndexAfter(timing.anchor, period, after) * period);
  }
  const next = cronPattern(timing.cron, timing.timeZone).nextRun(after);
  // Croner drops the reference's milliseconds; never answer the same second again.
  return next && next <= after ? cronPattern(timing.cron, timing.timeZone).nextRun(next) : next;
}

const periodMs = (interval: Interval) => interval.every * UNIT_MS[interval.unit];

/** The index k ≥ 1 of the first `anchor + k·period` after `after`: the anchor itself is not an occurrence. */
const firstIndexAfter = (anchor: Date, period: number, after: Date) =>
  Math.max(1, Math.floor((after.getTime() - anchor.getTime()) / period) + 1);
