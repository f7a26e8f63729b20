import { registerResourceRoutes } from './http/resourceRoutes.js';
import { getConnection, listConnections, saveConnection } from '../shared/sync/resources/connections.js';
import { documentedConnectionInput, documentedConnectionView, connectionTestResult } from '../shared/sync/apiSchemas.js';
import { testConnection } from '../shared/sync/resources/testConnection.js';
import { adminRoute } from './http/adminRoute.js';
import { json } from './http/apiResponses.js';

registerResourceRoutes({
  name: 'connection',
  collection: 'connections',
  idParam: 'connectionId',
  useCases: { save: saveConnection, get: getConnection, list: listConnections },
  input: documentedConnectionInput,
  inputExample: {
    provider: 'woocommerce',
    name: 'Main shop',
    settings: { baseUrl: 'https://shop.example.com', timeoutMs: 30000 },
    credentials: { consumerKey: 'ck_0123456789abcdef0123456789abcdef01234567', consumerSecret: 'cs_0123456789abcdef0123456789abcdef01234567' },
    protection: { requestsPerMinute: 120, circuit: { failureThreshold: 5, coolDownMs: 30000 } },
    webhooks: { enabled: true, verifier: 'woocommerce', coalesceWindowMs: 1000 },
    webhookSecret: 'the-secret-set-on-the-woocommerce-webhook',
  },
  view: documentedConnectionView,
  saveSemantics:
    'Merges into the stored connection field by field: a field sent replaces the stored one as a whole, a field left out is kept (`name`, `protection`, `webhooks`, `credentials`, `webhookSecret`) — except `settings`, which is always replaced, so send every setting (e.g. `baseUrl`) each time. ' +
    'Write-only: `credentials` (required on creation; new ones resume runs paused for `auth` unless the test refuses them) and `webhookSecret`; answers show only `hasCredentials` and `hasWebhookSecret`. ' +
    '`provider` cannot change. A save that creates the connection or changes its credentials or settings tests them with one provider call and answers what it found in `connectionTest`; the save stands either way. ' +
    'Repeating a save is harmless: the same connection, the same secrets (each save is recorded in the activity log). URLs leading to internal addresses are refused (422).',
});

// Operate, not admin: it changes no configuration; but it spends a provider call, which a reader may not.
adminRoute('testConnection', {
  route: 'tenants/{tenantId}/connections/{connectionId}/test',
  method: 'POST',
  access: 'operate',
  summary: 'Test the connection now: reachability and credentials, with one cheap provider call',
  description:
    'Answers 200 with what the provider call found, `ok: false` included (wrong credentials, unreachable store…); the call goes through the outbound guard but not the circuit breaker. At most 3 tests of a connection at once, then one every 10 s (429 with Retry-After). Recorded in the activity log as `connection.tested`.',
  responses: { 200: { description: 'What the test found; `message` never carries credentials.', schema: connectionTestResult } },
  errors: [429],
  handler: async ({ deps, tenantId, param, actor }) => json(200, await testConnection(deps, tenantId, param('connectionId'), actor)),
});
