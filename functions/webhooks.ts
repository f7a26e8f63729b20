import { app, type HttpResponseInit } from '@azure/functions';
import { receiveWebhook, type WebhookReceipt } from '../shared/sync/receiveWebhook.js';
import { flushWebhookWindow } from '../shared/sync/flushWebhooks.js';
import { webhookFlushMessage } from '../shared/sync/webhookDeliveries.js';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { routeParam } from './http/requestInput.js';
import { readBodyBytes } from './http/requestBody.js';
import { BODY_LIMITS } from './http/bodyLimits.js';
import { queueEndpoint } from './queue/queueEndpoint.js';

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
        rawBody: await readBodyBytes(request, BODY_LIMITS.webhook),
      }),
    ),
  ),
};
app.http('receiveWebhook', webhookRoute);

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
