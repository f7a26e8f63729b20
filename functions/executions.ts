import { z } from 'zod';
import { startExecution } from '../shared/sync/executions/startExecution.js';
import { executionListQuery, getExecution, listExecutions } from '../shared/sync/executions/executionQueries.js';
import { startExecutionInput, executionView, listingOf } from '../shared/sync/apiSchemas.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

adminRoute('startExecution', {
  route: 'tenants/{tenantId}/tasks/{taskId}/executions',
  method: 'POST',
  access: 'operate',
  summary: 'Start a run of a sync task',
  description:
    '`mode`: `full` (default) reads every record; `incremental` reads what changed since the cursor of the last complete read (minus the task\'s `incrementalOverlapMs`) — the execution view says, per stream, when it has to read everything and why. ' +
    'The run options (`batchSize`, `maxRetries`, `rateLimit`…) override the task\'s `defaults` for this run. With an `idempotencyKey`, repeating the request answers the same execution. ' +
    "Starts count against the tenant's `startRequestsPerMinute` (429 with `Retry-After` beyond it); 409 for an outbound task (use …/push).",
  body: startExecutionInput,
  bodyExample: { mode: 'incremental', streams: ['customers'], batchSize: 50, idempotencyKey: 'nightly-2026-12-07' },
  errors: [409, 429],
  responses: {
    202: {
      description: 'Queued: follow `statusUrl`.',
      headers: { location: "The execution's URL" },
      schema: z.object({ executionId: z.string(), status: z.enum(['queued', 'running', 'paused', 'success', 'partial', 'failed', 'cancelled']), statusUrl: z.string() }),
    },
  },
  handler: async ({ deps, tenantId, param, body, actor }) => {
    const { execution } = await startExecution(deps, tenantId, param('taskId'), body, { checkRateLimit: true, actor });
    const statusUrl = `/api/tenants/${tenantId}/executions/${execution.id}`;
    return json(202, { executionId: execution.id, status: execution.status, statusUrl }, { location: statusUrl });
  },
});

adminRoute('listExecutions', {
  route: 'tenants/{tenantId}/executions',
  method: 'GET',
  access: 'read',
  summary: 'List runs, newest first',
  description: 'Filter by `taskId`, `status` and creation time (`since` inclusive, `until` exclusive). Items leave `lastErrors` empty: read one execution for them.',
  query: executionListQuery,
  responses: { 200: { description: 'A page of executions.', schema: listingOf(executionView) } },
  handler: async ({ deps, tenantId, query }) => json(200, await listExecutions(deps, tenantId, query)),
});

adminRoute('getExecution', {
  route: 'tenants/{tenantId}/executions/{executionId}',
  method: 'GET',
  access: 'read',
  summary: "Read a run's status, progress, counts and last errors",
  responses: { 200: { description: 'The execution.', schema: executionView } },
  handler: async ({ deps, tenantId, param }) => json(200, await getExecution(deps, tenantId, param('executionId'))),
});
