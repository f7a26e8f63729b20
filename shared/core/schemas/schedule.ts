import { z } from 'zod';
import { resourceId } from './resourceId.js';
import { cronPattern, INTERVAL_UNITS, type Interval, type Timing } from '../scheduleOccurrences.js';

/** A cron pattern croner accepts (5 fields, or 6 with seconds) that matches at least one future time. */
const cron = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .superRefine((pattern, ctx) => {
    try {
      if (cronPattern(pattern, 'UTC').nextRun() === null) ctx.addIssue({ code: 'custom', message: `"${pattern}" never matches a date` });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a cron pattern of 5 or 6 fields: ${(error as Error).message.replace(/^CronPattern: /, '')}` });
    }
  });

/** An IANA zone name, stored as Intl spells it (`europe/berlin` → `Europe/Berlin`). */
const timeZone = z.string().transform((zone, ctx) => {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${zone}" is not an IANA time zone such as "Europe/Berlin"` });
    return z.NEVER;
  }
});

export const scheduleInput = z
  .strictObject({
    id: resourceId.optional(),
    taskId: resourceId,
    cron: cron.optional(),
    interval: z.strictObject({ every: z.number().int().min(1).max(10_000), unit: z.enum(INTERVAL_UNITS) }).optional(),
    timeZone: timeZone.default('UTC'),
    /** Run mode of the executions it starts. */
    mode: z.enum(['full', 'incremental']).default('incremental'),
    enabled: z.boolean().default(true),
    /** Occurrences missed while the scheduler was not running: none, the latest one, or each (up to maxCatchUp). */
    missedRunPolicy: z.enum(['skip', 'once', 'all']).default('once'),
    maxCatchUp: z.number().int().min(1).max(100).default(10),
  })
  .superRefine((input, ctx) => {
    if ((input.cron === undefined) === (input.interval === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['cron'], message: 'give exactly one of cron and interval' });
    }
  });
export type ScheduleInput = z.infer<typeof scheduleInput>;

export type MissedRunPolicy = ScheduleInput['missedRunPolicy'];

export interface Schedule {
  id: string;
  tenantId: string;
  taskId: string;
  cron?: string;
  interval?: Interval;
  timeZone: string;
  mode: 'full' | 'incremental';
  enabled: boolean;
  missedRunPolicy: MissedRunPolicy;
  maxCatchUp: number;
  createdAt: string;
  updatedAt: string;
  /** Intervals count from here: the creation time, or when the interval last changed. */
  anchor: string;
  /** Every occurrence up to here has been decided (fired or skipped). */
  lastEvaluatedAt: string;
  /** The occurrence it last started an execution for. */
  lastFiredAt: string | null;
  /**
   * The first occurrence after lastEvaluatedAt (the scheduler reads only schedules whose time has
   * come); null while disabled, or for a pattern that never matches again.
   */
  nextFireAt: string | null;
}

/** The timing part of a schedule, as the occurrence functions take it. */
export const timingOf = (schedule: Pick<Schedule, 'cron' | 'interval' | 'timeZone' | 'anchor'>): Timing =>
  schedule.interval
    ? { interval: schedule.interval, anchor: new Date(schedule.anchor) }
    : { cron: schedule.cron!, timeZone: schedule.timeZone };
