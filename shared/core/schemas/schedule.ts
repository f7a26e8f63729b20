import { z } from 'zod';
import { resourceId } from './resourceId.js';
import { cronPattern, INTERVAL_UNITS, type Timing } from '../triggers/scheduleOccurrences.js';

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

const interval = z
  .strictObject({ every: z.number().int().min(1).max(10_000), unit: z.enum(INTERVAL_UNITS).describe('Plural: `minutes`, `hours` or `days`.') })
  .describe('Every `every` `unit`s, counted from when the interval was set.');
const mode = z.enum(['full', 'incremental']).describe('Run mode of the executions it starts.');
const missedRunPolicy = z
  .enum(['skip', 'once', 'all'])
  .describe('Occurrences missed while the scheduler was not running: none, the latest one, or each (up to `maxCatchUp`).');

export const scheduleInput = z
  .strictObject({
    id: resourceId.optional().describe('POST only: the id to create or update; absent, the server picks one.'),
    taskId: resourceId.describe('A task of the tenant that is not outbound; checked at save (422 naming it).'),
    cron: cron.optional().describe('5 fields (minute first), or 6 with seconds first, read in `timeZone`. Exactly one of `cron` and `interval`.'),
    interval: interval.optional(),
    timeZone: timeZone.default('UTC').describe('IANA zone the cron pattern is read in, e.g. `Europe/Berlin`.'),
    mode: mode.default('incremental'),
    enabled: z.boolean().default(true),
    missedRunPolicy: missedRunPolicy.default('once'),
    maxCatchUp: z.number().int().min(1).max(100).default(10).describe('With `missedRunPolicy` `all`: at most this many missed occurrences are started.'),
  })
  .superRefine((input, ctx) => {
    if ((input.cron === undefined) === (input.interval === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['cron'], message: 'give exactly one of cron and interval' });
    }
  })
  .meta({ id: 'ScheduleInput', description: 'A schedule as a save sets it: when to start runs of a task.' });
export type ScheduleInput = z.infer<typeof scheduleInput>;

export type MissedRunPolicy = ScheduleInput['missedRunPolicy'];

/** A schedule as stored and as the API answers with it: the request's fields plus the scheduler's bookkeeping. */
export const scheduleView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    taskId: z.string(),
    cron: z.string().optional(),
    interval: interval.optional(),
    timeZone: z.string(),
    mode,
    enabled: z.boolean(),
    missedRunPolicy,
    maxCatchUp: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    anchor: z.iso.datetime().describe('Intervals count from here: the creation time, or when the interval last changed.'),
    lastEvaluatedAt: z.iso.datetime().describe('Every occurrence up to here has been decided (fired or skipped).'),
    lastFiredAt: z.iso.datetime().nullable().describe('The occurrence it last started an execution for; null before the first.'),
    // The scheduler reads only schedules whose time has come.
    nextFireAt: z.iso
      .datetime()
      .nullable()
      .describe('The first occurrence after `lastEvaluatedAt`; null while disabled, or for a pattern that never matches again.'),
  })
  .meta({ id: 'Schedule', description: 'When runs of a task start: a cron pattern in a time zone, or an interval.' });
export type Schedule = z.infer<typeof scheduleView>;

/** The timing part of a schedule, as the occurrence functions take it. */
export const timingOf = (schedule: Pick<Schedule, 'cron' | 'interval' | 'timeZone' | 'anchor'>): Timing =>
  schedule.interval
    ? { interval: schedule.interval, anchor: new Date(schedule.anchor) }
    : { cron: schedule.cron!, timeZone: schedule.timeZone };
