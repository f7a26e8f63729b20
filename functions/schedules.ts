import { app } from '@azure/functions';
import { registerResourceRoutes } from './http/resourceRoutes.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { routeParam } from './http/requestInput.js';
import { deleteSchedule, getSchedule, listSchedules, saveSchedule } from '../shared/sync/schedules.js';

registerResourceRoutes({
  name: 'schedule',
  collection: 'schedules',
  idParam: 'scheduleId',
  useCases: { save: saveSchedule, get: getSchedule, list: listSchedules },
});

app.http('deleteSchedule', {
  route: 'tenants/{tenantId}/schedules/{scheduleId}',
  methods: ['DELETE'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) => {
    await deleteSchedule(deps, routeParam(request, 'tenantId'), routeParam(request, 'scheduleId'));
    return { status: 204 };
  }),
});
