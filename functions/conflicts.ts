import { z } from 'zod';
import { conflictListQuery, listOrCountConflicts } from '../shared/sync/queries/conflictQueries.js';
import { resolveConflict, resolveRequest } from '../shared/sync/bidirectional/resolveConflict.js';
import { conflict, listingOf, listCount } from '../shared/sync/apiSchemas.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

const conflictListing = listingOf(conflict).extend({
  stats: z.object({ byType: z.record(z.string(), z.number().int()).describe('How many conflicts of each type the filters match') }),
});

adminRoute('listConflicts', {
  route: 'tenants/{tenantId}/conflicts',
  method: 'GET',
  access: 'read',
  summary: 'List field conflicts and record errors of bidirectional sync, or count them',
  description: '`?count=true` answers `{count}` for the same filters instead of a page.',
  query: conflictListQuery,
  responses: { 200: { description: 'A page of conflicts with counts by type, or `{count}`.', schema: z.union([conflictListing, listCount]) } },
  handler: async ({ deps, tenantId, query }) => json(200, await listOrCountConflicts(deps, tenantId, query)),
});

adminRoute('resolveConflict', {
  route: 'tenants/{tenantId}/conflicts/{conflictId}/resolve',
  method: 'POST',
  access: 'operate',
  summary: 'Settle a conflict',
  description:
    '`action`: `accept_local` keeps our value and writes it to the provider, `accept_remote` takes the provider\'s, `custom` sets `value` (validated like a shard PATCH), `reject` closes it changing nothing, `skip` closes it leaving the record as it is. Resolving applies the value to the shard and writes it back; the failure the conflict stood for becomes `resolved`. A second resolve is a 409.',
  body: resolveRequest,
  bodyExample: { action: 'custom', value: 'ada@example.com' },
  errors: [409],
  responses: { 200: { description: 'The resolved conflict.', schema: conflict } },
  handler: async ({ deps, tenantId, param, body, actor }) => json(200, await resolveConflict(deps, tenantId, param('conflictId'), body, actor)),
});
