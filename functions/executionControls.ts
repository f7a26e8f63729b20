import { controlExecution, type ControlAction } from '../shared/sync/controlExecution.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

const actions: Array<[name: string, action: ControlAction]> = [
  ['pauseExecution', 'pause'],
  ['resumeExecution', 'resume'],
  ['cancelExecution', 'cancel'],
  ['confirmExecution', 'confirm'],
];

for (const [name, action] of actions) {
  adminRoute(name, {
    route: `tenants/{tenantId}/executions/{executionId}/${action}`,
    method: 'POST',
    access: 'operate',
    body: 'none',
    handler: async ({ deps, tenantId, param, actor }) => json(200, await controlExecution(deps, tenantId, param('executionId'), action, actor)),
  });
}
