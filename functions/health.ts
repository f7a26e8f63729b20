import { app } from '@azure/functions';
import { checkHealth } from '../shared/sync/checkHealth.js';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';

app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpEndpoint(async (deps) => {
    const health = await checkHealth(deps);
    return json(health.status === 'ok' ? 200 : 503, health);
  }),
});
