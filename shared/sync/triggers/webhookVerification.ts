import { createHash, timingSafeEqual } from 'node:crypto';
import { ids } from '../../core/ids.js';
import type { Connection } from '../../core/schemas/connection.js';
import type { HeaderReader } from '../../core/triggers/webhookSignature.js';
import { ConflictError } from '../../ports/conflictError.js';
import type { Doc, Stored } from '../../ports/store.js';
import type { ActivityEntry } from '../../core/schemas/activity.js';
import { recordActivity } from '../operations/activityLog.js';
import { requireConnection } from '../resources/connections.js';
import { StateConflictError } from '../stateConflictError.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { UnknownResourceError } from '../unknownResourceError.js';

/** A handed-over key is one short JSON object; anything longer is no verification request and is not parsed unsigned. */
const MAX_VERIFICATION_BYTES = 1024;

/**
 * That a connection took its webhook key from a provider's verification request (trust on first
 * use), and whether an admin has read it. The key itself is in Secrets as the webhook secret;
 * this holds only its digest, so the provider's retry of the same request is told from another.
 */
interface WebhookVerification extends Doc {
  kind: 'webhook_verification';
  connectionId: string;
  tokenSha256: string;
  receivedAt: string;
  readAt?: string;
}

const docId = (connectionId: string) => `webhook-verification:${connectionId}`;
const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The provider's verification request (Notion's unsigned `{verification_token}`), if this delivery
 * is one: 'taken' when its token became the connection's webhook secret — the connection had none,
 * or this is a retry of the request that set it — 'refused' when the connection already has a
 * secret, which a later request never replaces. Undefined: not a verification request.
 */
export async function takeVerification(deps: SyncDeps, connection: Stored<Connection>, headers: HeaderReader, rawBody: Uint8Array): Promise<'taken' | 'refused' | undefined> {
  const handOver = deps.providers.definition(connection.provider).webhooks.verificationToken;
  if (!handOver || rawBody.length > MAX_VERIFICATION_BYTES) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(rawBody));
  } catch {
    return undefined;
  }
  const token = handOver(headers, body);
  if (token === undefined) return undefined;
  const { tenantId, id: connectionId } = connection;
  const claim: WebhookVerification = { id: docId(connectionId), tenantId, kind: 'webhook_verification', connectionId, tokenSha256: digest(token), receivedAt: deps.clock.now().toISOString() };
  const existing = await deps.store.read<WebhookVerification>('coordination', tenantId, claim.id);
  const retry = existing !== undefined && timingSafeEqual(Buffer.from(existing.tokenSha256), Buffer.from(claim.tokenSha256));
  if ((connection.webhookSecretRef !== undefined && !retry) || (existing !== undefined && !retry)) return 'refused';
  if (!existing) {
    // The create is the claim: of two requests racing for a connection with no secret, one wins.
    const won = await deps.store.create('coordination', claim).then(
      () => true,
      (error: unknown) => {
        if (error instanceof ConflictError) return false;
        throw error;
      },
    );
    if (!won) return 'refused';
  }
  const secretRef = ids.secretForWebhooks(tenantId, connectionId);
  await deps.secrets.set(secretRef, token);
  if (connection.webhookSecretRef !== secretRef) await deps.store.replace('connections', { ...withoutStoreFields(connection), webhookSecretRef: secretRef }, { ifMatch: connection._etag });
  if (!retry) await recordActivity(deps, { tenantId, actor: { type: 'webhook' }, action: 'connection.webhook_verified', subject: { kind: 'connection', id: connectionId }, details: { provider: connection.provider } });
  return 'taken';
}

/**
 * The verification token a connection took, for an admin to paste into the provider's UI, once:
 * a second read is refused (409), so a token seen by the wrong person shows as already read.
 */
export async function readVerificationToken(deps: SyncDeps, tenantId: string, connectionId: string, actor: ActivityEntry['actor']): Promise<{ verificationToken: string; receivedAt: string }> {
  await requireTenant(deps, tenantId);
  const connection = await requireConnection(deps, tenantId, connectionId);
  const found = await deps.store.read<WebhookVerification>('coordination', tenantId, docId(connectionId));
  const token = found && connection.webhookSecretRef ? await deps.secrets.get(connection.webhookSecretRef) : undefined;
  if (!found || token === undefined || digest(token) !== found.tokenSha256) throw new UnknownResourceError('webhook verification of connection', connectionId);
  if (found.readAt !== undefined) throw new StateConflictError('the verification token was already read', { readAt: found.readAt });
  // Conditional: of two admins reading at once, one gets the token.
  await deps.store.replace('coordination', { ...withoutStoreFields(found), readAt: deps.clock.now().toISOString() }, { ifMatch: found._etag });
  await recordActivity(deps, { tenantId, actor, action: 'connection.webhook_verification_read', subject: { kind: 'connection', id: connectionId }, details: {} });
  return { verificationToken: token, receivedAt: found.receivedAt };
}

function withoutStoreFields<T extends Doc>(stored: Stored<T>): T {
  const { _etag: _e, _ts: _t, ...doc } = stored;
  return doc as unknown as T;
}
