import { createApiKey, getApiKey, listApiKeys, revokeApiKey, rotateApiKey } from '../shared/sync/access/apiKeys.js';
import { deleteMembership, getMembership, listMemberships, putMembership } from '../shared/sync/access/members.js';
import { apiKeyInput, apiKeyRotation, apiKeyView, createdApiKey, membershipInput, membershipView, listingOf } from '../shared/sync/apiSchemas.js';
import { listParams } from '../shared/sync/resourceListing.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

/** Tenant API keys for machine callers: shown once, stored as a hash, rotated with an overlap, revocable. */
adminRoute('createApiKey', {
  route: 'tenants/{tenantId}/api-keys',
  method: 'POST',
  access: 'admin',
  summary: 'Create a tenant API key',
  description: 'The key (`key`) is in this answer only: the store keeps its hash, and reads never show it. Not idempotent: each call makes a new key.',
  body: apiKeyInput,
  bodyExample: { name: 'nightly export', role: 'Sync.Reader', expiresAt: '2030-12-31T23:59:59Z' },
  responses: {
    201: {
      description: 'The key, with its secret (shown once).',
      schema: createdApiKey,
      headers: { location: "The key's URL", 'cache-control': '`no-store`: the answer carries a secret' },
    },
  },
  handler: async ({ deps, tenantId, body, actor }) => {
    const key = await createApiKey(deps, tenantId, body, actor);
    return json(201, key, { location: `/api/tenants/${tenantId}/api-keys/${key.id}`, 'cache-control': 'no-store' });
  },
});

adminRoute('listApiKeys', {
  route: 'tenants/{tenantId}/api-keys',
  method: 'GET',
  access: 'admin',
  summary: "List the tenant's API keys",
  description: 'Revoked keys included, each with when it was last used; never a secret.',
  query: listParams,
  responses: { 200: { description: 'One page of keys.', schema: listingOf(apiKeyView) } },
  handler: async ({ deps, tenantId, query }) => json(200, await listApiKeys(deps, tenantId, query)),
});

adminRoute('getApiKey', {
  route: 'tenants/{tenantId}/api-keys/{keyId}',
  method: 'GET',
  access: 'admin',
  summary: 'Read one API key (without its secret)',
  responses: { 200: { description: 'The key.', schema: apiKeyView } },
  handler: async ({ deps, tenantId, param }) => json(200, await getApiKey(deps, tenantId, param('keyId'))),
});

adminRoute('rotateApiKey', {
  route: 'tenants/{tenantId}/api-keys/{keyId}/rotate',
  method: 'POST',
  access: 'admin',
  summary: 'Give an API key a new secret',
  description:
    'The new key is in this answer only. The replaced secret keeps working for `overlapSeconds` (default 86,400) so callers can switch over; rotating again ends any earlier overlap (two secrets at most). A revoked key cannot be rotated (409). Not idempotent: each call makes a new secret.',
  body: apiKeyRotation,
  bodyExample: { overlapSeconds: 3600 },
  responses: {
    200: { description: 'The key, with its new secret (shown once).', schema: createdApiKey, headers: { 'cache-control': '`no-store`: the answer carries a secret' } },
  },
  errors: [409],
  handler: async ({ deps, tenantId, param, body, actor }) =>
    json(200, await rotateApiKey(deps, tenantId, param('keyId'), body, actor), { 'cache-control': 'no-store' }),
});

adminRoute('revokeApiKey', {
  route: 'tenants/{tenantId}/api-keys/{keyId}',
  method: 'DELETE',
  access: 'admin',
  summary: 'Revoke an API key',
  description: 'The key, and any previous secret still in its overlap, stop working at once. The key is kept, revoked, for the record; revoking it again is a 409.',
  responses: { 200: { description: 'The revoked key (`revokedAt` set).', schema: apiKeyView } },
  errors: [409],
  handler: async ({ deps, tenantId, param, actor }) => json(200, await revokeApiKey(deps, tenantId, param('keyId'), actor)),
});

/** Entra ID principals (by object id) allowed to act for the tenant, each up to a role. */
adminRoute('putMembership', {
  route: 'tenants/{tenantId}/members/{principalId}',
  method: 'PUT',
  access: 'admin',
  summary: 'Let an Entra ID principal act for the tenant, up to a role (idempotent)',
  description:
    "Replaces the stored membership: `role` is required every time and a `name` left out is removed. The principal's token still needs the app role; the membership caps it for this tenant. The same PUT twice leaves the same membership.",
  body: membershipInput,
  bodyExample: { role: 'Sync.Operator', name: 'Dana Example (operations)' },
  responses: {
    200: { description: 'The membership was updated.', schema: membershipView },
    201: { description: 'The membership was created.', schema: membershipView },
  },
  handler: async ({ deps, tenantId, param, body, actor }) => {
    const { membership, created } = await putMembership(deps, tenantId, param('principalId'), body, actor);
    return json(created ? 201 : 200, membership);
  },
});

adminRoute('listMemberships', {
  route: 'tenants/{tenantId}/members',
  method: 'GET',
  access: 'admin',
  summary: 'List the principals allowed to act for the tenant',
  query: listParams,
  responses: { 200: { description: 'One page of memberships.', schema: listingOf(membershipView) } },
  handler: async ({ deps, tenantId, query }) => json(200, await listMemberships(deps, tenantId, query)),
});

adminRoute('getMembership', {
  route: 'tenants/{tenantId}/members/{principalId}',
  method: 'GET',
  access: 'admin',
  summary: "Read one principal's membership",
  responses: { 200: { description: 'The membership.', schema: membershipView } },
  handler: async ({ deps, tenantId, param }) => json(200, await getMembership(deps, tenantId, param('principalId'))),
});

adminRoute('deleteMembership', {
  route: 'tenants/{tenantId}/members/{principalId}',
  method: 'DELETE',
  access: 'admin',
  summary: "End a principal's membership",
  description: 'The principal can no longer act for the tenant through it; removing it again is a 404.',
  responses: { 204: { description: 'The membership was removed.' } },
  handler: async ({ deps, tenantId, param, actor }) => {
    await deleteMembership(deps, tenantId, param('principalId'), actor);
    return { status: 204 };
  },
});
