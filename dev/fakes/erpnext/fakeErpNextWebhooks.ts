import { createHmac } from 'node:crypto';
import { request } from 'undici';

/** base64 HMAC-SHA256 of the raw body under the webhook's secret: `X-Frappe-Webhook-Signature` (frappe/integrations/doctype/webhook). */
export function signErpNextWebhook(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** POSTs a JSON body as a Frappe webhook with a secret sends it; answers the receiver's status. */
export async function sendErpNextWebhook(url: string, secret: string, body: Record<string, unknown>): Promise<number> {
  const text = JSON.stringify(body);
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-frappe-webhook-signature': signErpNextWebhook(secret, text) },
    body: text,
    headersTimeout: 5000,
  });
  await response.body.dump();
  return response.statusCode;
}
