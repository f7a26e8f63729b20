import { getTenant, putTenant } from '../shared/sync/tenants.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

/** Creating a tenant needs an admin whose credentials allow that tenant id (a membership needs the tenant to exist). */
adminRoute('putTenant', {
  route: 'tenants/{tenantId}',
  method: 'PUT',
  access: 'admin',
  body: 'json',
  handler: async ({ deps, tenantId, body }) => {
    const { tenant, created } = await putTenant(deps, tenantId, body);
    return json(created ? 201 : 200, tenant);
  },
});

adminRoute('getTenant', {
  route: 'tenants/{tenantId}',
  method: 'GET',
  access: 'read',
  body: 'none',
  handler: async ({ deps, tenantId }) => json(200, await getTenant(deps, tenantId)),
});
