import { z } from 'zod';
import { registerResourceRoutes } from './http/resourceRoutes.js';
import { getConnection, listConnections, saveConnection } from '../shared/sync/resources/connections.js';
import { documentedConnectionInput, documentedConnectionView, connectionTestResult } from '../shared/sync/apiSchemas.js';
import { testConnection } from '../shared/sync/resources/testConnection.js';
import { adminRoute } from './http/adminRoute.js';
import { json } from './http/apiResponses.js';
import { readVerificationToken } from '../shared/sync/triggers/webhookVerification.js';

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

// Admin: the token is the key every later delivery is signed with.
adminRoute('readWebhookVerification', {
  route: 'tenants/{tenantId}/connections/{connectionId}/webhook-verification',
  method: 'GET',
  access: 'admin',
  summary: "Read, once, the verification token a provider's first webhook request handed over (Notion)",
  description:
    "Notion's first request to a new webhook subscription carries a `verification_token` and no signature: a connection without a `webhookSecret` keeps it as its secret (a later verification request is refused and changes nothing). Paste it into Notion's subscription page to verify it. " +
    'The first read answers it; later reads are 409, so a token read by someone else shows. 404 until the request has come. Recorded in the activity log.',
  responses: {
    200: {
      description: 'The token, to paste into the provider once; it signs every later delivery.',
      schema: z.object({ verificationToken: z.string(), receivedAt: z.string() }),
    },
  },
  errors: [409],
  handler: async ({ deps, tenantId, param, actor }) => json(200, await readVerificationToken(deps, tenantId, param('connectionId'), actor)),
});
