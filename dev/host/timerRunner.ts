/**
 * Run timer-triggered functions on their NCRONTAB schedules (six fields, seconds first, UTC unless
 * WEBSITE_TIME_ZONE says otherwise). Like the host, a timer never overlaps itself: an invocation
 * that outlasts one or more occurrences is followed by a single past-due run.
 */
import { Cron } from 'croner';
import type { Invoke, InvocationInput } from './invoker.js';
import type { LoadedFunction } from './loadFunctions.js';

export interface TimerRunnerOptions {
  functions: readonly LoadedFunction[];
  invoke: Invoke;
  log: (line: string) => void;
  timeZone?: string;
}

export interface RunningTimers {
  /** Stop scheduling and wait for running invocations until `deadline` (epoch ms). */
  stop(deadline: number): Promise<void>;
}

/** NCRONTAB ANDs day-of-month and day-of-week, unlike Vixie cron. */
export function ncrontab(schedule: string, timeZone = 'UTC'): Cron {
  if (/^\d+(\.\d+)?:\d+:\d+$/.test(schedule.trim())) {
    throw new Error(`TimeSpan schedules ("${schedule}") are not supported locally; use NCRONTAB`);
  }
  return new Cron(schedule, { mode: '6-part', timezone: timeZone, domAndDow: true, paused: true });
}

/** The payload the host sends a timer function (the library camel-cases it). */
export function timerInvocationInput(
  triggerBindingName: string,
  status: { isPastDue: boolean; last: Date; next: Date | null; now: Date },
): InvocationInput {
  const timer = {
    Schedule: { AdjustForDST: true },
    ScheduleStatus: {
      Last: status.last.toISOString(),
      Next: status.next?.toISOString() ?? null,
      LastUpdated: status.now.toISOString(),
    },
    IsPastDue: status.isPastDue,
  };
  return { inputData: [{ name: triggerBindingName, data: { json: JSON.stringify(timer) } }], triggerMetadata: {} };
}

/** setTimeout accepts at most 2^31-1 ms; longer waits are chained. */
const maxTimeoutMs = 2 ** 31 - 1;

export function startTimers(options: TimerRunnerOptions): RunningTimers {
  let stopped = false;
  const pending = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();

  function sleepUntil(when: number): Promise<void> {
    return new Promise((resolve) => {
      const delay = Math.min(Math.max(0, when - Date.now()), maxTimeoutMs);
      const timer = setTimeout(() => {
        pending.delete(timer);
        if (Date.now() < when && !stopped) void sleepUntil(when).then(resolve);
        else resolve();
      }, delay);
      pending.add(timer);
    });
  }

  async function runOnce(fn: LoadedFunction, cron: Cron, isPastDue: boolean, last: Date): Promise<void> {
    const now = new Date();
    const input = timerInvocationInput(fn.triggerBindingName, { isPastDue, last, next: cron.nextRun(now), now });
    const run = options.invoke(fn, input).then(
      () => undefined,
      (error: unknown) => options.log(`[${fn.name}] timer invocation failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    inFlight.add(run);
    await run;
    inFlight.delete(run);
  }

  async function schedule(fn: LoadedFunction, cron: Cron): Promise<void> {
    let last = new Date();
    if (fn.runOnStartup) await runOnce(fn, cron, false, last);
    let due = cron.nextRun(new Date());
    let isPastDue = false;
    while (due && !stopped) {
      await sleepUntil(due.getTime());
      if (stopped) return;
      await runOnce(fn, cron, isPastDue, last);
      last = due;
      const following = cron.nextRun(due);
      isPastDue = following !== null && following.getTime() <= Date.now();
      due = isPastDue ? new Date() : following;
    }
  }

  for (const fn of options.functions) {
    if (fn.trigger !== 'timerTrigger' || fn.schedule === undefined) continue;
    const cron = ncrontab(fn.schedule, options.timeZone);
    void schedule(fn, cron).catch((error: unknown) => options.log(`[${fn.name}] timer stopped: ${String(error)}`));
  }

  return {
    async stop(deadline) {
      stopped = true;
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref());
      await Promise.race([Promise.all([...inFlight]), timeout]);
    },
  };
}
