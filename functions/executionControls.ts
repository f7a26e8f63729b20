import { controlExecution, type ControlAction } from '../shared/sync/executions/controlExecution.js';
import { executionView } from '../shared/sync/apiSchemas.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

const actions: Array<[name: string, action: ControlAction, summary: string]> = [
  ['pauseExecution', 'pause', "Pause a run: its messages are held (parked, not lost) from the next batch on"],
  ['resumeExecution', 'resume', 'Resume a paused run: what was held is sent again'],
  ['cancelExecution', 'cancel', 'Cancel a run: what was held is dropped and no new page is read'],
  ['confirmExecution', 'confirm', 'Let a run paused for `confirmation` (a bulk change) go on'],
];

for (const [name, action, summary] of actions) {
  adminRoute(name, {
    route: `tenants/{tenantId}/executions/{executionId}/${action}`,
    method: 'POST',
    access: 'operate',
    summary,
    description: 'Takes effect within one batch. An action the current status does not allow (resuming a running run, cancelling a finished one) is a 409 naming the status. No body.',
    errors: [409],
    responses: { 200: { description: 'The execution after the action.', schema: executionView } },
    handler: async ({ deps, tenantId, param, actor }) => json(200, await controlExecution(deps, tenantId, param('executionId'), action, actor)),
  });
}
