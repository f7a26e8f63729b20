import { failureListQuery, getFailure, listOrCountFailures } from '../shared/sync/queries/failureQueries.js';
import { retryExecution, retryFailures, retryRequest } from '../shared/sync/failures/retryFailures.js';
import { failure, retryResult, listingOrCountOf } from '../shared/sync/apiSchemas.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

const RETRY_DESCRIPTION =
  'Takes every matching open failure in this one call, however many: per task, as many new executions as the records take (a run names at most 1,000 record ids per stream); a failed page re-reads its whole stream. ' +
  'Each failure taken becomes `retried` and names its execution, so repeating the request starts nothing more. ' +
  "Retries do not use up the start budget of automation (start requests, `POST …/tasks/{taskId}/executions`): each retry request counts once, however many runs it starts, against a budget of its own of the tenant's `startRequestsPerMinute`; 429 with `Retry-After` beyond it.";

adminRoute('listFailures', {
  route: 'tenants/{tenantId}/failures',
  method: 'GET',
  access: 'read',
  summary: 'List failures, newest first, or count them',
  description: 'Items leave out `originalMessage` (read one failure for it). `?count=true` answers `{count}` for the same filters instead of a page.',
  query: failureListQuery,
  responses: { 200: { description: 'A page of failures, or `{count}`.', schema: listingOrCountOf(failure) } },
  handler: async ({ deps, tenantId, query }) => json(200, await listOrCountFailures(deps, tenantId, query)),
});

adminRoute('getFailure', {
  route: 'tenants/{tenantId}/failures/{failureId}',
  method: 'GET',
  access: 'read',
  summary: 'Read one failure, with the message that failed',
  responses: { 200: { description: 'The failure.', schema: failure } },
  handler: async ({ deps, tenantId, param }) => json(200, await getFailure(deps, tenantId, param('failureId'))),
});

adminRoute('retryFailures', {
  route: 'tenants/{tenantId}/failures/retry',
  method: 'POST',
  access: 'operate',
  summary: 'Retry the open failures matching the filters (or the listed `ids`)',
  description: RETRY_DESCRIPTION,
  body: retryRequest,
  bodyExample: { taskId: 'nightly-customers', stage: 'transform' },
  errors: [429],
  responses: { 202: { description: 'The executions doing the retry (none when nothing matched).', schema: retryResult } },
  handler: async ({ deps, tenantId, body, actor }) => json(202, await retryFailures(deps, tenantId, body, actor)),
});

adminRoute('retryFailure', {
  route: 'tenants/{tenantId}/failures/{failureId}/retry',
  method: 'POST',
  access: 'operate',
  summary: 'Retry one failure',
  description: RETRY_DESCRIPTION,
  errors: [429],
  responses: { 202: { description: 'The execution doing the retry (none when the failure is no longer open).', schema: retryResult } },
  handler: async ({ deps, tenantId, param, actor }) => json(202, await retryFailures(deps, tenantId, { ids: [param('failureId')] }, actor)),
});

adminRoute('retryExecution', {
  route: 'tenants/{tenantId}/executions/{executionId}/retry',
  method: 'POST',
  access: 'operate',
  summary: 'Retry every open failure of a finished run',
  description: `${RETRY_DESCRIPTION} 409 while the run has not finished.`,
  errors: [409, 429],
  responses: { 202: { description: 'The executions doing the retry (none when nothing is open).', schema: retryResult } },
  handler: async ({ deps, tenantId, param, actor }) => json(202, await retryExecution(deps, tenantId, param('executionId'), actor)),
});
