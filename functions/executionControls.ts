import { app } from '@azure/functions';
import { controlExecution, type ControlAction } from '../shared/sync/controlExecution.js';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { operator, routeParam } from './http/requestInput.js';

const actions: Array<[name: string, action: ControlAction]> = [
  ['pauseExecution', 'pause'],
  ['resumeExecution', 'resume'],
  ['cancelExecution', 'cancel'],
  ['confirmExecution', 'confirm'],
];

for (const [name, action] of actions) {
  app.http(name, {
    route: `tenants/{tenantId}/executions/{executionId}/${action}`,
    methods: ['POST'],
    authLevel: 'function',
    handler: httpEndpoint(async (deps, request) =>
      json(200, await controlExecution(deps, routeParam(request, 'tenantId'), routeParam(request, 'executionId'), action, operator(request))),
    ),
  });
}
