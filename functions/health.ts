import { app } from '@azure/functions';
import { z } from 'zod';
import { checkHealth } from '../shared/sync/operations/checkHealth.js';
import { health as healthSchema } from '../shared/sync/apiSchemas.js';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { BODY_LIMITS } from './http/bodyLimits.js';
import { describeOperation } from './http/apiCatalog.js';
import { errorBody } from './http/errorBody.js';

/** Anonymous, for load balancers and probes: it tells whether the app and its store are up, nothing else. */
const healthRoute = {
  route: 'health',
  methods: ['GET' as const],
  authLevel: 'anonymous' as const,
  shardsyncAccess: 'anonymous',
  shardsyncMaxBodyBytes: BODY_LIMITS.none,
  handler: httpEndpoint(async (deps) => {
    const health = await checkHealth(deps);
    return json(health.status === 'ok' ? 200 : 503, health);
  }),
};
app.http('health', healthRoute);
describeOperation({
  name: 'health',
  method: 'GET',
  route: healthRoute.route,
  access: 'anonymous',
  tag: 'health',
  summary: 'Liveness plus a store round trip',
  description: 'For load balancers and probes: whether the app and its store are up, nothing else.',
  maxBodyBytes: healthRoute.shardsyncMaxBodyBytes,
  responses: {
    200: { description: 'The app and its store are up.', schema: healthSchema },
    503: {
      description: 'The store failed its check (`Health`), or the app could not start at all (`Error`, the reason in the server log).',
      schema: z.union([healthSchema, errorBody]),
    },
    500: { description: 'Something unexpected failed; the body carries no detail.', schema: errorBody },
  },
});
