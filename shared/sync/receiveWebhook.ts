import { connectionWebhooks, type ProviderName, type WebhookVerifier } from '../core/schemas/connection.js';
import { checkWebhookSignature, isWooCommercePing, resolveVerifier, type HeaderReader } from '../core/webhookSignature.js';
import { webhookEvent } from '../core/webhookEvent.js';
import type { SyncDeps } from './syncDeps.js';
import { getTenant } from './tenants.js';
import { requireConnection } from './connections.js';
import { MalformedRequestError } from './useCaseErrors.js';
import { recordDelivery } from './webhookDeliveries.js';

/** Each provider's own signing scheme, used when the connection names none. */
const PROVIDER_VERIFIERS: Record<ProviderName, WebhookVerifier> = { woocommerce: 'woocommerce' };

export interface WebhookRequest {
  tenantId: string;
  connectionId: string;
  headers: HeaderReader;
  /** The exact bytes received: the signature covers them, not a re-serialisation. */
  rawBody: Uint8Array;
}

export type WebhookReceipt =
  | { outcome: 'accepted'; windowId: string; flushAt: string }
  | { outcome: 'ping' | 'replay' }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'disabled' }
  | { outcome: 'too_large'; limitBytes: number }
  | { outcome: 'invalid_signature' };

/**
 * A provider's webhook delivery. Kept fast — two point reads, the (cached) secret, the signature
 * check, a window read and a couple of point writes, one publish; never a provider call. The
 * signature is checked on the raw bytes before anything parses them. An unknown tenant or
 * connection throws UnknownResourceError (404).
 */
export async function receiveWebhook(deps: SyncDeps, request: WebhookRequest): Promise<WebhookReceipt> {
  const { tenantId, connectionId, headers, rawBody } = request;
  const tenant = await getTenant(deps, tenantId);
  const connection = await requireConnection(deps, tenantId, connectionId);
  if (tenant.settings.webhooksEnabled === false || connection.webhooks?.enabled === false) return { outcome: 'disabled' };
  const settings = connection.webhooks ?? connectionWebhooks.parse({});
  if (rawBody.length > settings.maxBodyBytes) return { outcome: 'too_large', limitBytes: settings.maxBodyBytes };

  const verifier = settings.verifier ?? PROVIDER_VERIFIERS[connection.provider];
  // Unsigned by design; WooCommerce activates the webhook only if this is answered 200.
  if (verifier === 'woocommerce' && isWooCommercePing(headers, rawBody)) return { outcome: 'ping' };
  const secret = connection.webhookSecretRef ? await deps.secrets.get(connection.webhookSecretRef) : undefined;
  const check = checkWebhookSignature(verifier, secret, headers, rawBody, deps.clock.now());
  if (!check.valid) {
    deps.log.warn('webhook refused: signature not valid', { tenantId, connectionId, reason: check.reason });
    return { outcome: 'invalid_signature' };
  }

  const decision = webhookEvent(resolveVerifier(verifier), headers, parseBody(rawBody), rawBody);
  if (decision.kind === 'ignored') return { outcome: 'ignored', reason: decision.reason };
  return recordDelivery(deps, tenantId, connectionId, decision.event, settings.coalesceWindowMs);
}

function parseBody(rawBody: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(rawBody));
  } catch (error) {
    throw new MalformedRequestError(`the body is not valid JSON: ${(error as Error).message}`);
  }
}
