import type { Stored } from '../../ports/store.js';
import { apiKeyInput, apiKeyKind, apiKeyKinds, apiKeyRotation, type ApiKey, type ApiKeyView, type CreatedApiKey } from '../../core/schemas/apiKey.js';
import { formatTenantKey, hashKeySecret, newKeyId, newKeySecret } from '../../core/access/apiKeyFormat.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { InvalidInputError } from '../invalidInputError.js';
import { StateConflictError } from '../stateConflictError.js';
import { UnknownResourceError } from '../unknownResourceError.js';
import { parseInput } from '../parseInput.js';
import { listDocuments, type Listing } from '../resourceListing.js';
import { updateDocument } from '../documentUpdate.js';
import { recordActivity } from '../operations/activityLog.js';
import type { OperatorActor } from './authorize.js';

const view = (key: ApiKey): ApiKeyView => {
  const { hash: _hash, previous, kind: _kind, id: _id, ...rest } = key;
  return { ...rest, id: key.keyId, ...(previous ? { previousExpiresAt: previous.expiresAt } : {}) };
};

/** A new key of the tenant with one role. The key is in this answer only; the store keeps its hash. */
export async function createApiKey(deps: SyncDeps, tenantId: string, body: unknown, actor: OperatorActor): Promise<CreatedApiKey> {
  await requireTenant(deps, tenantId);
  const input = parseInput(apiKeyInput, body);
  const now = deps.clock.now();
  if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= now.getTime()) {
    throw new InvalidInputError([{ path: 'expiresAt', message: 'must be in the future' }]);
  }
  const keyId = newKeyId();
  const secret = newKeySecret();
  const key: ApiKey = {
    id: ids.apiKey(keyId),
    tenantId,
    kind: apiKeyKind,
    keyId,
    name: input.name,
    role: input.role,
    hash: hashKeySecret(secret),
    ...(input.expiresAt ? { expiresAt: new Date(input.expiresAt).toISOString() } : {}),
    createdAt: now.toISOString(),
    createdBy: actor.id,
  };
  await deps.store.create('tenants', key);
  await recordActivity(deps, { tenantId, actor, action: 'apikey.created', subject: { kind: 'apiKey', id: keyId }, details: { role: input.role } });
  return { ...view(key), key: formatTenantKey({ tenantId, keyId, secret }) };
}

/**
 * A new secret for the key; the old one keeps working for `overlapSeconds` so callers can switch
 * without an outage. Rotating again ends any earlier overlap: two secrets at most.
 */
export async function rotateApiKey(deps: SyncDeps, tenantId: string, keyId: string, body: unknown, actor: OperatorActor): Promise<CreatedApiKey> {
  await requireTenant(deps, tenantId);
  const { overlapSeconds } = parseInput(apiKeyRotation, body);
  const secret = newKeySecret();
  const rotated = await updateDocument<ApiKey, ApiKey>(deps, 'tenants', tenantId, ids.apiKey(keyId), (current, nowMs) => {
    const key = liveKey(current, keyId);
    const now = new Date(nowMs).toISOString();
    const { previous: _previous, ...rest } = key;
    const next: ApiKey = {
      ...rest,
      hash: hashKeySecret(secret),
      ...(overlapSeconds > 0 ? { previous: { hash: key.hash, expiresAt: new Date(nowMs + overlapSeconds * 1000).toISOString() } } : {}),
      rotatedAt: now,
    };
    return { result: next, next };
  });
  await recordActivity(deps, { tenantId, actor, action: 'apikey.rotated', subject: { kind: 'apiKey', id: keyId }, details: { overlapSeconds } });
  return { ...view(rotated), key: formatTenantKey({ tenantId, keyId, secret }) };
}

/** The key stops working at once (its previous secret too). Kept, revoked, for the record; revoking twice is a 409. */
export async function revokeApiKey(deps: SyncDeps, tenantId: string, keyId: string, actor: OperatorActor): Promise<ApiKeyView> {
  await requireTenant(deps, tenantId);
  const revoked = await updateDocument<ApiKey, ApiKey>(deps, 'tenants', tenantId, ids.apiKey(keyId), (current, nowMs) => {
    const { previous: _previous, ...key } = liveKey(current, keyId);
    const next: ApiKey = { ...key, revokedAt: new Date(nowMs).toISOString() };
    return { result: next, next };
  });
  await recordActivity(deps, { tenantId, actor, action: 'apikey.revoked', subject: { kind: 'apiKey', id: keyId } });
  return view(revoked);
}

export async function getApiKey(deps: SyncDeps, tenantId: string, keyId: string): Promise<ApiKeyView> {
  await requireTenant(deps, tenantId);
  const key = await deps.store.read<ApiKey>('tenants', tenantId, ids.apiKey(keyId));
  if (!key || !apiKeyKinds.includes(key.kind)) throw new UnknownResourceError('apiKey', keyId);
  return view(key);
}

/** The tenant's keys, revoked ones included, each with when it was last used. */
export async function listApiKeys(deps: SyncDeps, tenantId: string, params: Record<string, string | undefined>): Promise<Listing<ApiKeyView>> {
  await requireTenant(deps, tenantId);
  const page = await listDocuments<ApiKey>(deps, 'tenants', tenantId, params, { filters: [{ path: 'kind', op: 'in', values: apiKeyKinds }] });
  return { items: page.items.map(view), continuationToken: page.continuationToken };
}

function liveKey(current: Stored<ApiKey> | undefined, keyId: string): Stored<ApiKey> {
  if (!current || !apiKeyKinds.includes(current.kind)) throw new UnknownResourceError('apiKey', keyId);
  if (current.revokedAt !== undefined) throw new StateConflictError(`API key ${keyId} is revoked`, { revokedAt: current.revokedAt });
  return current;
}
