import { getTenant, putTenant } from '../shared/sync/tenants/tenants.js';
import { tenantInput, tenantView } from '../shared/sync/apiSchemas.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

/** Creating a tenant needs an admin whose credentials allow that tenant id (a membership needs the tenant to exist). */
adminRoute('putTenant', {
  route: 'tenants/{tenantId}',
  method: 'PUT',
  access: 'admin',
  summary: 'Create or update a tenant (idempotent)',
  description:
    'Replaces the stored tenant, except where a field says it is kept: `settings` is taken as a whole, so a part left out goes back to its default (a PUT without `settings` resets limits, retention and webhooks to the defaults and removes `alerts`); `name` and the write-only `alertSigningSecret`, when absent, keep their stored values. The same PUT twice leaves the same tenant. An alert URL that leads to an internal address is refused (422).',
  body: tenantInput,
  bodyExample: {
    name: 'Acme GmbH',
    settings: {
      limits: { maxConcurrentExecutions: 5, startRequestsPerMinute: 10 },
      retention: { executionsDays: 30, failuresDays: 30, activityDays: 90, idempotencyKeysDays: 7 },
      alerts: { url: 'https://hooks.example.com/shardsync', format: 'json' },
      alertSigningSecret: 'replace-with-a-long-random-secret',
      webhooksEnabled: true,
    },
  },
  responses: {
    200: { description: 'The tenant was updated.', schema: tenantView },
    201: { description: 'The tenant was created.', schema: tenantView },
  },
  handler: async ({ deps, tenantId, body }) => {
    const { tenant, created } = await putTenant(deps, tenantId, body);
    return json(created ? 201 : 200, tenant);
  },
});

adminRoute('getTenant', {
  route: 'tenants/{tenantId}',
  method: 'GET',
  access: 'read',
  summary: 'Read a tenant',
  responses: { 200: { description: 'The tenant; the alert signing secret only as `hasAlertSigningSecret`.', schema: tenantView } },
  handler: async ({ deps, tenantId }) => json(200, await getTenant(deps, tenantId)),
});
