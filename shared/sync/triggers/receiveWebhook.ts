import { readPath } from '../../core/schemas/fieldPath.js';
import type { WebhookEvent } from '../../core/triggers/webhookEvent.js';
import { randomBytes } from 'node:crypto';
import type { Stored } from '../../ports/store.js';
import { connectionWebhooks, type Connection, type ConnectionWebhooks, type WebhookHmacVerifier } from '../../core/schemas/connection.js';
import { resourceId } from '../../core/schemas/resourceId.js';
import type { Tenant } from '../../core/schemas/tenant.js';
import { checkWebhookSignature, signatureLifetimeSeconds, type HeaderReader, type SignatureCheck, type SignedRequestLine } from '../../core/triggers/webhookSignature.js';
import type { SyncDeps } from '../syncDeps.js';
import { withCurrentSecretNames } from '../security/secretNameMigration.js';
import { MalformedRequestError } from '../malformedRequestError.js';
import { recordDelivery } from './webhookDeliveries.js';
import { takeVerification } from './webhookVerification.js';

/** Signs nothing anyone holds: checked against on refused paths only so they cost what a real check costs. */
const DECOY_SECRET = randomBytes(32).toString('base64');

export interface WebhookRequest {
  tenantId: string;
  connectionId: string;
  headers: HeaderReader;
  /** The method and the full URL as the provider called it (HubSpot's v3 signs them). */
  requestLine?: SignedRequestLine;
  /** The exact bytes received: the signature covers them, not a re-serialisation. */
  rawBody: Uint8Array;
}

export type WebhookReceipt =
  | { outcome: 'accepted'; windowId: string; flushAt: string }
  | { outcome: 'ping' | 'replay' }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'too_large'; limitBytes: number }
  /**
   * No signature valid for this endpoint: a bad or missing one, or no enabled endpoint (unknown
   * tenant or connection, webhooks off) whose key could make one valid.
   */
  | { outcome: 'invalid_signature' };

type RefusalReason = 'unknown_tenant' | 'unknown_connection' | 'webhooks_disabled' | 'verification_after_secret' | Extract<SignatureCheck, { valid: false }>['reason'];

type Endpoint = { open: true; connection: Stored<Connection>; settings: ConnectionWebhooks } | { open: false; reason: RefusalReason };

/**
 * A provider's webhook delivery. Kept fast — two point reads, the (cached) secret, the signature
 * check, a window read and a couple of point writes, one publish; never a provider call. The
 * signature is checked on the raw bytes before anything parses them.
 *
 * Anonymous callers learn nothing about which tenants and connections exist: an unknown tenant,
 * an unknown connection and webhooks switched off are refused exactly as a bad signature is
 * (the reason goes to the log only), and the body's size is judged only once the signature holds.
 */
export async function receiveWebhook(deps: SyncDeps, request: WebhookRequest): Promise<WebhookReceipt> {
  const { tenantId, connectionId, headers, rawBody } = request;
  // Unsigned by design: a provider activates a new webhook only if its ping is answered 200.
  // Answered before any look-up, so it says nothing about the endpoint either.
  if (deps.providers.all().some((provider) => provider.webhooks.isPing(headers, rawBody))) return { outcome: 'ping' };

  const endpoint = await webhookEndpoint(deps, tenantId, connectionId);
  if (!endpoint.open) {
    const decoy = decoyScheme(deps, headers);
    if (decoy) checkWebhookSignature(decoy, DECOY_SECRET, headers, rawBody, deps.clock.now(), request.requestLine);
    return refuse(deps, request, endpoint.reason);
  }
  const { connection, settings } = endpoint;
  // A provider handing over its signing key unsigned (Notion's verification request): taken only by a connection without one.
  const verification = await takeVerification(deps, connection, headers, rawBody);
  if (verification === 'taken') return { outcome: 'ping' };
  if (verification === 'refused') return refuse(deps, request, 'verification_after_secret');
  const config = signingScheme(deps, connection, settings);
  const secret = connection.webhookSecretRef ? await deps.secrets.get(connection.webhookSecretRef) : undefined;
  const check = checkWebhookSignature(config, secret, headers, rawBody, deps.clock.now(), request.requestLine);
  if (!check.valid) return refuse(deps, request, check.reason);
  if (rawBody.length > settings.maxBodyBytes) return { outcome: 'too_large', limitBytes: settings.maxBodyBytes };

  const decision = deps.providers.definition(connection.provider).webhooks.parseEvent(config, headers, parseBody(rawBody), check.signed, connection.settings);
  if (decision.kind === 'ignored') return { outcome: 'ignored', reason: decision.reason };
  const events = decision.kind === 'event' ? [decision.event] : decision.events;
  if (events.length === 0) return { outcome: 'ignored', reason: 'no events' };
  // A delivery of several events (HubSpot sends arrays) is recorded event by event: each has its own replay key.
  let receipt: WebhookReceipt = { outcome: 'replay' };
  for (const event of events) {
    const recorded = await recordDelivery(deps, tenantId, connectionId, usableRecord(deps, connection, event), settings.coalesceWindowMs, signatureLifetimeSeconds(config));
    if (recorded.outcome === 'accepted') receipt = recorded;
  }
  return receipt;
}

/**
 * The event with its record only if the record is one a read would return: it names its id and
 * its modified time. A provider's stub (`{id}` alone) is dropped, so the run fetches the record.
 */
function usableRecord(deps: SyncDeps, connection: Connection, event: WebhookEvent): WebhookEvent {
  if (!event.record) return event;
  const info = deps.providers.streamOf(connection, event.stream);
  const present = (path: string | undefined) => {
    const value = path === undefined ? undefined : readPath(event.record, path);
    return (typeof value === 'string' && value !== '') || typeof value === 'number';
  };
  if (info && present(info.idField) && present(info.modifiedField)) return event;
  const { record: _dropped, ...rest } = event;
  return rest;
}

/** The connection's signing scheme: its own HMAC check, a provider's scheme it names, or else its provider's. */
function signingScheme(deps: SyncDeps, connection: Connection, settings: ConnectionWebhooks): WebhookHmacVerifier {
  const own = settings.verifier === undefined ? deps.providers.definition(connection.provider).webhooks.schemeOf?.(connection.settings) : undefined;
  if (own) return own;
  const verifier = settings.verifier ?? connection.provider;
  return typeof verifier === 'string' ? deps.providers.definition(verifier).webhooks.verifier : verifier;
}

/** What a refused delivery is checked against: the scheme whose signature header it carries, else the first provider's. */
function decoyScheme(deps: SyncDeps, headers: HeaderReader): WebhookHmacVerifier | undefined {
  const schemes = deps.providers.all().map((provider) => provider.webhooks.verifier);
  return schemes.find((scheme) => headers.get(scheme.header) !== null) ?? schemes[0];
}

/** The connection a delivery is for, if it exists and takes webhooks. */
async function webhookEndpoint(deps: SyncDeps, tenantId: string, connectionId: string): Promise<Endpoint> {
  // A route parameter that is not a valid id names nothing; it is not sent to the store.
  if (!resourceId.safeParse(tenantId).success) return { open: false, reason: 'unknown_tenant' };
  const tenant = await deps.store.read<Tenant>('tenants', tenantId, tenantId);
  if (!tenant) return { open: false, reason: 'unknown_tenant' };
  if (!resourceId.safeParse(connectionId).success) return { open: false, reason: 'unknown_connection' };
  const found = await deps.store.read<Connection>('connections', tenantId, connectionId);
  if (!found) return { open: false, reason: 'unknown_connection' };
  // Never the signing key under a legacy name another tenant's connection may have written.
  const connection = await withCurrentSecretNames(deps, found);
  if (tenant.settings.webhooksEnabled === false || connection.webhooks?.enabled === false) return { open: false, reason: 'webhooks_disabled' };
  return { open: true, connection, settings: connection.webhooks ?? connectionWebhooks.parse({}) };
}

function refuse(deps: SyncDeps, request: WebhookRequest, reason: RefusalReason): WebhookReceipt {
  // Route ids are cut short: they come from anyone and end up in the log.
  deps.log.warn('webhook refused', { tenantId: request.tenantId.slice(0, 100), connectionId: request.connectionId.slice(0, 100), reason });
  return { outcome: 'invalid_signature' };
}

function parseBody(rawBody: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(rawBody));
  } catch (error) {
    throw new MalformedRequestError(`the body is not valid JSON: ${(error as Error).message}`);
  }
}
