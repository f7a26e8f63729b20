import { registerResourceRoutes } from './http/resourceRoutes.js';
import { adminRoute } from './http/adminRoute.js';
import { deleteSchedule, getSchedule, listSchedules, saveSchedule } from '../shared/sync/resources/schedules.js';
import { scheduleInput, scheduleView } from '../shared/sync/apiSchemas.js';

registerResourceRoutes({
  name: 'schedule',
  collection: 'schedules',
  idParam: 'scheduleId',
  useCases: { save: saveSchedule, get: getSchedule, list: listSchedules },
  input: scheduleInput,
  inputExample: { taskId: 'shop-to-crm', cron: '30 2 * * *', timeZone: 'Europe/Berlin', mode: 'incremental', enabled: true, missedRunPolicy: 'once' },
  view: scheduleView,
  saveSemantics:
    'Replaces the stored schedule: `taskId` and exactly one of `cron` and `interval` are required every time, and `timeZone`, `mode`, `enabled`, `missedRunPolicy` and `maxCatchUp` left out go back to their defaults. ' +
    "The scheduler's bookkeeping is kept: `lastFiredAt` always, and `lastEvaluatedAt` unless the timing changes or the schedule is re-enabled (then evaluation restarts now, so the old pattern's or the disabled time's occurrences are not caught up). " +
    'Saving the same schedule again changes nothing but `updatedAt`. The task must exist and not be outbound (422 naming `taskId`).',
});

adminRoute('deleteSchedule', {
  route: 'tenants/{tenantId}/schedules/{scheduleId}',
  method: 'DELETE',
  access: 'admin',
  summary: 'Delete a schedule',
  description: "Executions it started are left alone: they are the task's. Deleting it again is a 404.",
  responses: { 204: { description: 'The schedule was deleted.' } },
  handler: async ({ deps, tenantId, param }) => {
    await deleteSchedule(deps, tenantId, param('scheduleId'));
    return { status: 204 };
  },
});
