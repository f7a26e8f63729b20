import { createApiKey, getApiKey, listApiKeys, revokeApiKey, rotateApiKey } from '../shared/sync/access/apiKeys.js';
import { deleteMembership, getMembership, listMemberships, putMembership } from '../shared/sync/access/members.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

/** Tenant API keys for machine callers: shown once, stored as a hash, rotated with an overlap, revocable. */
adminRoute('createApiKey', {
  route: 'tenants/{tenantId}/api-keys',
  method: 'POST',
  access: 'admin',
  body: 'json',
  handler: async ({ deps, tenantId, body, actor }) => {
    const key = await createApiKey(deps, tenantId, body, actor);
    return json(201, key, { location: `/api/tenants/${tenantId}/api-keys/${key.id}`, 'cache-control': 'no-store' });
  },
});

adminRoute('listApiKeys', {
  route: 'tenants/{tenantId}/api-keys',
  method: 'GET',
  access: 'admin',
  body: 'none',
  handler: async ({ deps, tenantId, query }) => json(200, await listApiKeys(deps, tenantId, query)),
});

adminRoute('getApiKey', {
  route: 'tenants/{tenantId}/api-keys/{keyId}',
  method: 'GET',
  access: 'admin',
  body: 'none',
  handler: async ({ deps, tenantId, param }) => json(200, await getApiKey(deps, tenantId, param('keyId'))),
});

adminRoute('rotateApiKey', {
  route: 'tenants/{tenantId}/api-keys/{keyId}/rotate',
  method: 'POST',
  access: 'admin',
  body: 'json',
  handler: async ({ deps, tenantId, param, body, actor }) =>
    json(200, await rotateApiKey(deps, tenantId, param('keyId'), body, actor), { 'cache-control': 'no-store' }),
});

adminRoute('revokeApiKey', {
  route: 'tenants/{tenantId}/api-keys/{keyId}',
  method: 'DELETE',
  access: 'admin',
  body: 'none',
  handler: async ({ deps, tenantId, param, actor }) => json(200, await revokeApiKey(deps, tenantId, param('keyId'), actor)),
});

/** Entra ID principals (by object id) allowed to act for the tenant, each up to a role. */
adminRoute('putMembership', {
  route: 'tenants/{tenantId}/members/{principalId}',
  method: 'PUT',
  access: 'admin',
  body: 'json',
  handler: async ({ deps, tenantId, param, body, actor }) => {
    const { membership, created } = await putMembership(deps, tenantId, param('principalId'), body, actor);
    return json(created ? 201 : 200, membership);
  },
});

adminRoute('listMemberships', {
  route: 'tenants/{tenantId}/members',
  method: 'GET',
  access: 'admin',
  body: 'none',
  handler: async ({ deps, tenantId, query }) => json(200, await listMemberships(deps, tenantId, query)),
});

adminRoute('getMembership', {
  route: 'tenants/{tenantId}/members/{principalId}',
  method: 'GET',
  access: 'admin',
  body: 'none',
  handler: async ({ deps, tenantId, param }) => json(200, await getMembership(deps, tenantId, param('principalId'))),
});

adminRoute('deleteMembership', {
  route: 'tenants/{tenantId}/members/{principalId}',
  method: 'DELETE',
  access: 'admin',
  body: 'none',
  handler: async ({ deps, tenantId, param, actor }) => {
    await deleteMembership(deps, tenantId, param('principalId'), actor);
    return { status: 204 };
  },
});
