import type { SyncTask } from '../../core/schemas/syncTask.js';
import type { Stored } from '../../ports/store.js';
import { isLostRace } from '../../ports/lostRace.js';
import { scheduleInput, type Schedule } from '../../core/schemas/schedule.js';
import { reviseSchedule } from '../../core/triggers/scheduleRevision.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { InvalidInputError } from '../invalidInputError.js';
import { UnknownResourceError } from '../unknownResourceError.js';
import { requireDocument, resolveResourceId } from './resourceIdentity.js';
import { parseInput } from '../parseInput.js';
import { listDocuments, type Listing } from '../resourceListing.js';

/** Saves retried when the scheduler (or another request) wrote the schedule in between. */
const SAVE_ATTEMPTS = 5;

/**
 * Create or update a schedule. The task must exist now (422 naming `taskId`). The write is
 * conditional on what was read, so a scheduler advancing its bookkeeping meanwhile is not
 * overwritten: the request is applied again over the newer document.
 */
export async function saveSchedule(
  deps: SyncDeps,
  tenantId: string,
  body: unknown,
  pathId?: string,
): Promise<{ schedule: Stored<Schedule>; created: boolean }> {
  await requireTenant(deps, tenantId);
  const input = parseInput(scheduleInput, body);
  const id = resolveResourceId({ pathId, bodyId: input.id, pathParam: 'scheduleId', prefix: 'sch' });
  const task = await deps.store.read<SyncTask>('tasks', tenantId, input.taskId);
  if (!task) throw new InvalidInputError([{ path: 'taskId', message: `task "${input.taskId}" does not exist` }]);
  // Outbound tasks write whenever shards change; a schedule would start runs they do not have.
  if (task.direction === 'outbound') throw new InvalidInputError([{ path: 'taskId', message: `task "${input.taskId}" is outbound: it is not run on a schedule` }]);
  for (let attempt = 1; ; attempt += 1) {
    const existing = await deps.store.read<Schedule>('schedules', tenantId, id);
    const schedule = reviseSchedule(input, existing, { id, tenantId }, deps.clock.now());
    try {
      const stored = existing
        ? await deps.store.replace('schedules', schedule, { ifMatch: existing._etag })
        : await deps.store.create('schedules', schedule);
      return { schedule: stored, created: !existing };
    } catch (error) {
      if (!isLostRace(error) || attempt === SAVE_ATTEMPTS) throw error;
    }
  }
}

export async function getSchedule(deps: SyncDeps, tenantId: string, scheduleId: string): Promise<Stored<Schedule>> {
  await requireTenant(deps, tenantId);
  return requireDocument<Schedule>(deps, 'schedules', 'schedule', tenantId, scheduleId);
}

export async function listSchedules(deps: SyncDeps, tenantId: string, params: Record<string, string | undefined>): Promise<Listing<Stored<Schedule>>> {
  await requireTenant(deps, tenantId);
  return listDocuments<Schedule>(deps, 'schedules', tenantId, params);
}

/** Executions it started are left alone: they are the task's. */
export async function deleteSchedule(deps: SyncDeps, tenantId: string, scheduleId: string): Promise<void> {
  await requireTenant(deps, tenantId);
  if (!(await deps.store.delete('schedules', tenantId, scheduleId))) throw new UnknownResourceError('schedule', scheduleId);
}
