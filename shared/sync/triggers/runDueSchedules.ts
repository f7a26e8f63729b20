import type { Query, Stored } from '../../ports/store.js';
import { NotFoundError } from '../../ports/notFoundError.js';
import { PreconditionFailedError } from '../../ports/preconditionFailedError.js';
import type { Schedule } from '../../core/schemas/schedule.js';
import { planFiring, type FiringPlan } from '../../core/triggers/firingPlan.js';
import type { SyncDeps } from '../syncDeps.js';
import { startExecution } from '../executions/startExecution.js';
import { recordActivity } from '../operations/activityLog.js';
import { registeredTenantIds } from '../tenants/registeredTenants.js';
import { InvalidInputError } from '../invalidInputError.js';
import { UnknownResourceError } from '../unknownResourceError.js';

export interface SchedulerSummary {
  tenants: number;
  /** Schedules with an occurrence due, looked at. */
  schedules: number;
  /**
   * Occurrences this tick decided and started (an execution a crashed earlier try already started
   * counts again); a racing instance that lost the bookkeeping write leaves them to the winner.
   */
  fired: number;
  /** Missed occurrences dropped by their schedule's policy. */
  skipped: number;
  /** Occurrences whose start was refused (the task is gone). */
  refused: number;
  /** Schedules whose evaluation failed; the next tick tries them again. */
  failed: number;
}

/**
 * Only schedules with something due are read: `nextFireAt` is always the first occurrence after
 * `lastEvaluatedAt` (saves and ticks keep it so), so one later than now means nothing is due.
 * ISO strings of `toISOString` compare as times; null (never again) matches nothing.
 */
const due = (now: Date): Query => ({
  filters: [
    { path: 'enabled', op: '=', value: true },
    { path: 'nextFireAt', op: '<=', value: now.toISOString() },
  ],
});
/** Bookkeeping writes retried when another scheduler instance wrote first. */
const WRITE_ATTEMPTS = 5;

/**
 * One scheduler tick: for every enabled schedule of every tenant, start the occurrences that are
 * due and advance its bookkeeping. Exactly once per occurrence: the execution id derives from
 * the schedule and the occurrence (idempotency key), so a retried tick or two racing instances
 * find the same execution; the bookkeeping is an ETag-conditional replace, so the loser re-plans
 * from what the winner wrote. A schedule with nothing due is not written at all.
 */
export async function runDueSchedules(deps: SyncDeps): Promise<SchedulerSummary> {
  // One instant for the whole tick: every schedule is judged against the same "now".
  const now = deps.clock.now();
  const summary: SchedulerSummary = { tenants: 0, schedules: 0, fired: 0, skipped: 0, refused: 0, failed: 0 };
  for await (const tenantId of registeredTenantIds(deps)) {
    summary.tenants += 1;
    let continuationToken: string | undefined;
    do {
      const page = await deps.store.query<Schedule>('schedules', tenantId, due(now), { maxItems: 100, ...(continuationToken ? { continuationToken } : {}) });
      for (const schedule of page.items) {
        summary.schedules += 1;
        try {
          const outcome = await evaluateSchedule(deps, schedule, now);
          summary.fired += outcome.fired;
          summary.skipped += outcome.skipped;
          summary.refused += outcome.refused;
        } catch (error) {
          // One schedule's failure must not hold up the others; nothing was marked done, so the next tick redoes it.
          deps.log.error('schedule evaluation failed', { tenantId, scheduleId: schedule.id, error: error instanceof Error ? error.message : String(error) });
          summary.failed += 1;
        }
      }
      continuationToken = page.continuationToken;
    } while (continuationToken);
  }
  return summary;
}

type Outcome = Pick<SchedulerSummary, 'fired' | 'skipped' | 'refused'>;

async function evaluateSchedule(deps: SyncDeps, initial: Stored<Schedule>, now: Date): Promise<Outcome> {
  let schedule = initial;
  for (let attempt = 1; ; attempt += 1) {
    const plan = planFiring(schedule, new Date(schedule.lastEvaluatedAt), now);
    if (plan.fire.length === 0 && plan.skipped.length === 0) return { fired: 0, skipped: 0, refused: 0 };
    const outcome = await carryOut(deps, schedule, plan);
    const lastFired = outcome.started.at(-1)?.occurrence;
    try {
      await deps.store.replace<Schedule>(
        'schedules',
        {
          ...schedule,
          lastEvaluatedAt: now.toISOString(),
          lastFiredAt: lastFired ?? schedule.lastFiredAt,
          nextFireAt: plan.next?.toISOString() ?? null,
        },
        { ifMatch: schedule._etag },
      );
      return { fired: outcome.started.length, skipped: plan.skipped.length, refused: outcome.refused };
    } catch (error) {
      const raced = error instanceof PreconditionFailedError || error instanceof NotFoundError;
      if (!raced || attempt === WRITE_ATTEMPTS) throw error;
      // Another instance or an API request (save, delete) wrote first: plan again from what is stored
      // now; what this try already started is found, not repeated.
      const fresh = await deps.store.read<Schedule>('schedules', schedule.tenantId, schedule.id);
      if (!fresh?.enabled) return { fired: 0, skipped: 0, refused: 0 };
      schedule = fresh;
    }
  }
}

interface Started {
  occurrence: string;
  executionId: string;
}

/** Starts each occurrence of the plan and records what happened; a refused start is recorded and passed over. */
async function carryOut(deps: SyncDeps, schedule: Schedule, plan: FiringPlan): Promise<{ started: Started[]; refused: number }> {
  const { tenantId, id: scheduleId, taskId } = schedule;
  const actor = { type: 'schedule' as const, id: scheduleId };
  const subject = { kind: 'schedule', id: scheduleId };
  const started: Started[] = [];
  let refused = 0;
  for (const at of plan.fire) {
    const occurrence = at.toISOString();
    try {
      const { execution } = await startExecution(
        deps,
        tenantId,
        taskId,
        { mode: schedule.mode, idempotencyKey: `schedule:${scheduleId}:${occurrence}` },
        { actor },
      );
      started.push({ occurrence, executionId: execution.id });
    } catch (error) {
      if (!(error instanceof UnknownResourceError || error instanceof InvalidInputError)) throw error;
      refused += 1;
      deps.log.warn('a scheduled start was refused', { tenantId, scheduleId, taskId, occurrence, reason: error.message });
      await recordActivity(deps, {
        tenantId,
        key: `schedule.refused:${scheduleId}:${occurrence}`,
        actor,
        action: 'schedule.refused',
        subject,
        taskId,
        details: { occurrence, reason: error.message },
      });
    }
  }
  if (started.length > 0) {
    const occurrences = started.map((s) => s.occurrence);
    await recordActivity(deps, {
      tenantId,
      // Keyed by what fired: a retried or racing tick that fires the same occurrences records them once.
      key: `schedule.fired:${scheduleId}:${occurrences.join(',')}`,
      actor,
      action: 'schedule.fired',
      subject,
      taskId,
      details: {
        count: started.length,
        occurrences,
        executionIds: started.map((s) => s.executionId),
        missedRunPolicy: schedule.missedRunPolicy,
      },
    });
  }
  if (plan.skipped.length > 0) {
    const first = plan.skipped[0]!.toISOString();
    const last = plan.skipped.at(-1)!.toISOString();
    await recordActivity(deps, {
      tenantId,
      key: `schedule.skipped:${scheduleId}:${first}:${last}`,
      actor,
      action: 'schedule.skipped',
      subject,
      taskId,
      details: { count: plan.skipped.length, moreSkipped: plan.moreSkipped, first, last, missedRunPolicy: schedule.missedRunPolicy },
    });
  }
  return { started, refused };
}
