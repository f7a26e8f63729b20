import { registerResourceRoutes } from './http/resourceRoutes.js';
import { adminRoute } from './http/adminRoute.js';
import { deleteSchedule, getSchedule, listSchedules, saveSchedule } from '../shared/sync/schedules.js';

registerResourceRoutes({
  name: 'schedule',
  collection: 'schedules',
  idParam: 'scheduleId',
  useCases: { save: saveSchedule, get: getSchedule, list: listSchedules },
});

adminRoute('deleteSchedule', {
  route: 'tenants/{tenantId}/schedules/{scheduleId}',
  method: 'DELETE',
  access: 'admin',
  body: 'none',
  handler: async ({ deps, tenantId, param }) => {
    await deleteSchedule(deps, tenantId, param('scheduleId'));
    return { status: 204 };
  },
});
