import { app } from '@azure/functions';
import { getShard, listShards } from '../shared/sync/shardQueries.js';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { operator, queryParams, readJsonBody, routeParam } from './http/requestInput.js';
import { unmergeShard } from '../shared/sync/shardMerges.js';
import { patchShard } from '../shared/sync/localEdits.js';

app.http('listShards', {
  route: 'tenants/{tenantId}/shards',
  methods: ['GET'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(200, await listShards(deps, routeParam(request, 'tenantId'), queryParams(request))),
  ),
});

app.http('getShard', {
  route: 'tenants/{tenantId}/shards/{shardId}',
  methods: ['GET'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(200, await getShard(deps, routeParam(request, 'tenantId'), routeParam(request, 'shardId'))),
  ),
});

app.http('unmergeShard', {
  route: 'tenants/{tenantId}/shards/{shardId}/unmerge',
  methods: ['POST'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(200, await unmergeShard(deps, routeParam(request, 'tenantId'), routeParam(request, 'shardId'), await readJsonBody(request), operator(request))),
  ),
});

app.http('patchShard', {
  route: 'tenants/{tenantId}/shards/{shardId}',
  methods: ['PATCH'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(200, await patchShard(deps, routeParam(request, 'tenantId'), routeParam(request, 'shardId'), await readJsonBody(request), operator(request))),
  ),
});
