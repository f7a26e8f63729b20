import { app, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { receiveWebhook, type WebhookReceipt } from '../shared/sync/triggers/receiveWebhook.js';
import { flushWebhookWindow } from '../shared/sync/triggers/flushWebhooks.js';
import { webhookFlushMessage } from '../shared/sync/triggers/webhookDeliveries.js';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { routeParam } from './http/requestInput.js';
import { readBodyBytes } from './http/requestBody.js';
import { BODY_LIMITS } from './http/bodyLimits.js';
import { queueEndpoint } from './queue/queueEndpoint.js';
import { describeOperation } from './http/apiCatalog.js';
import { errorBody } from './http/errorBody.js';

/**
 * Anonymous: providers cannot send our credentials; the signature (checked on the raw bytes) is the
 * authentication. The body is capped at the largest limit a connection may set while it streams
 * in; the connection's own limit applies once the delivery is verified.
 */
const webhookRoute = {
  route: 'webhooks/{tenantId}/{connectionId}',
  methods: ['POST' as const],
  authLevel: 'anonymous' as const,
  shardsyncAccess: 'signature',
  shardsyncMaxBodyBytes: BODY_LIMITS.webhook,
  handler: httpEndpoint(async (deps, request) =>
    receiptResponse(
      await receiveWebhook(deps, {
        tenantId: routeParam(request, 'tenantId'),
        connectionId: routeParam(request, 'connectionId'),
        headers: request.headers,
        requestLine: { method: request.method, url: request.url },
        rawBody: await readBodyBytes(request, BODY_LIMITS.webhook),
      }),
    ),
  ),
};
app.http('receiveWebhook', webhookRoute);

describeOperation({
  name: 'receiveWebhook',
  method: 'POST',
  route: webhookRoute.route,
  access: 'signature',
  tag: 'webhooks',
  summary: "Receive a provider's webhook delivery",
  description:
    'The body is the provider\'s event, checked against the connection\'s verifier on the raw bytes: WooCommerce (default) needs `X-WC-Webhook-Signature` (base64 HMAC-SHA256 of the body with the connection\'s `webhookSecret`) and names the event in `X-WC-Webhook-Topic`; an `hmac` verifier names its own headers. ' +
    'Deliveries inside the connection\'s `coalesceWindowMs` become one incremental run. A replay of a delivery already taken (the same signed body), a ping, or an event we do not sync is a 200, so the provider does not retry it.',
  maxBodyBytes: BODY_LIMITS.webhook,
  responses: {
    200: {
      description: 'Taken, but nothing to do: a ping, a replay, or an event that is not synced (`reason`).',
      schema: z.object({ status: z.enum(['ping', 'replay', 'ignored']), reason: z.string().optional() }),
    },
    202: {
      description: 'Accepted: the event joins the window that flushes at `flushAt`.',
      schema: z.object({ status: z.literal('accepted'), windowId: z.string(), flushAt: z.string() }),
    },
    401: { description: 'The signature is missing or wrong — or the tenant or connection does not exist, or its webhooks are off: one answer for all.', schema: errorBody },
    413: { description: "The body is larger than the connection's `webhooks.maxBodyBytes` (checked once the signature holds).", schema: errorBody },
    500: { description: 'Something unexpected failed.', schema: errorBody },
    503: { description: 'The app is not configured correctly.', schema: errorBody },
  },
});

app.serviceBusQueue('flushWebhooks', {
  queueName: 'webhooks',
  connection: 'ServiceBusConnection',
  handler: queueEndpoint('webhooks', webhookFlushMessage, flushWebhookWindow),
});

/** Everything a provider should not retry is a 2xx (replays, pings, events we do not sync). */
function receiptResponse(receipt: WebhookReceipt): HttpResponseInit {
  switch (receipt.outcome) {
    case 'accepted':
      return json(202, { status: 'accepted', windowId: receipt.windowId, flushAt: receipt.flushAt });
    case 'ping':
    case 'replay':
      return json(200, { status: receipt.outcome });
    case 'ignored':
      return json(200, { status: 'ignored', reason: receipt.reason });
    case 'too_large':
      return json(413, { error: { code: 'payload_too_large', message: `the body is larger than ${receipt.limitBytes} bytes`, limitBytes: receipt.limitBytes } });
    case 'invalid_signature':
      // One answer for a bad signature, an unknown tenant or connection and webhooks switched off.
      return json(401, { error: { code: 'invalid_signature', message: 'the webhook signature is missing or does not match' } });
  }
}
