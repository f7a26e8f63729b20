import { app } from '@azure/functions';
import { checkHealth } from '../shared/sync/checkHealth.js';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { BODY_LIMITS } from './http/bodyLimits.js';

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
