import { isDeepStrictEqual } from 'node:util';
import type { Stored } from '../../ports/store.js';
import type { Connection, ConnectionView } from '../../core/schemas/connection.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { InvalidInputError } from '../invalidInputError.js';
import { requireDocument, resolveResourceId } from './resourceIdentity.js';
import { parseInput } from '../parseInput.js';
import { listDocuments, type Listing } from '../resourceListing.js';
import { getProviderState } from '../operations/providerGuard.js';
import { recordActivity } from '../operations/activityLog.js';
import { withCurrentSecretNames } from '../security/secretNameMigration.js';
import type { ConnectorState, StreamCursor } from '../../core/schemas/execution.js';
import type { ActivityEntry } from '../../core/schemas/activity.js';
import { runConnectionTest } from './connectionTest.js';

const view = (connection: Connection, extra: Pick<ConnectionView, 'providerState' | 'cursors' | 'incrementalStates' | 'connectionTest'> = {}): ConnectionView => {
  const { secretRef: _secretRef, webhookSecretRef, legacySecretRefs: _legacySecretRefs, ...rest } = connection;
  return { ...rest, hasCredentials: true, hasWebhookSecret: webhookSecretRef !== undefined, ...extra };
};

/**
 * Create (no id, or an id not yet used) or update a connection. Credentials go to Secrets under
 * a name derived from tenant + connection; repeating the same request is harmless. A save that
 * creates the connection or changes its credentials or settings then tests it (one provider
 * call) and answers what it found in `connectionTest`; the save stands whatever the test finds.
 */
export async function saveConnection(
  deps: SyncDeps,
  tenantId: string,
  body: unknown,
  pathId?: string,
  actor: ActivityEntry['actor'] = { type: 'operator' },
): Promise<{ connection: ConnectionView; created: boolean }> {
  await requireTenant(deps, tenantId);
  const input = parseInput(deps.providers.connectionInput, body);
  const id = resolveResourceId({ pathId, bodyId: input.id, pathParam: 'connectionId', prefix: 'con' });
  const provider = deps.providers.definition(input.provider);
  const settings = parseInput(provider.settingsSchema, input.settings, 'settings') as Record<string, unknown>;
  const found = await deps.store.read<Connection>('connections', tenantId, id);
  const existing = found && (await withCurrentSecretNames(deps, found));
  if (existing && existing.provider !== input.provider) {
    throw new InvalidInputError([{ path: 'provider', message: `connection "${id}" is a ${existing.provider} connection` }]);
  }
  if (!existing && input.credentials === undefined) {
    throw new InvalidInputError([{ path: 'credentials', message: 'required when creating a connection' }]);
  }
  // SSRF: a URL leading to an internal destination is refused before anything is stored (last, as it resolves names).
  const urlProblems = await deps.outbound.checkUrls(provider.urls(settings));
  if (urlProblems.length > 0) throw new InvalidInputError(urlProblems);
  const secretRef = ids.secretForConnection(tenantId, id);
  if (input.credentials !== undefined) {
    const credentials = parseInput(provider.credentialsSchema(settings), input.credentials, 'credentials');
    await deps.secrets.set(secretRef, JSON.stringify(credentials));
  }
  if (input.webhookSecret !== undefined) await deps.secrets.set(ids.secretForWebhooks(tenantId, id), input.webhookSecret);
  const webhookSecretRef = input.webhookSecret !== undefined ? ids.secretForWebhooks(tenantId, id) : existing?.webhookSecretRef;
  const now = deps.clock.now().toISOString();
  const connection: Connection = {
    id,
    tenantId,
    provider: input.provider,
    name: input.name ?? existing?.name ?? id,
    settings,
    ...(input.protection ? { protection: input.protection } : existing?.protection ? { protection: existing.protection } : {}),
    ...(input.webhooks ? { webhooks: input.webhooks } : existing?.webhooks ? { webhooks: existing.webhooks } : {}),
    secretRef,
    ...(webhookSecretRef ? { webhookSecretRef } : {}),
    ...(existing?.legacySecretRefs ? { legacySecretRefs: existing.legacySecretRefs } : {}),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  const stored = await deps.store.upsert('connections', connection);
  await recordActivity(deps, {
    tenantId,
    actor,
    action: existing ? 'connection.updated' : 'connection.created',
    subject: { kind: 'connection', id },
    // Which parts changed, never their values: credentials are secrets.
    details: { credentialsChanged: input.credentials !== undefined, webhookSecretChanged: input.webhookSecret !== undefined, provider: input.provider },
  });
  // A wrong secret or URL is found at setup, not at the first run.
  const changed = !existing || input.credentials !== undefined || !isDeepStrictEqual(existing.settings, settings);
  const connectionTest = changed ? await runConnectionTest(deps, stored, actor, 'save') : undefined;
  // New credentials are what executions paused for `auth` were waiting for, unless the provider just refused them.
  const refused = connectionTest?.outcome === 'unauthorized' || connectionTest?.outcome === 'forbidden';
  if (existing && input.credentials !== undefined && !refused) await deps.credentialsEvents.renewed(deps, tenantId, id);
  return { connection: view(stored, connectionTest ? { connectionTest } : {}), created: !existing };
}

/** The connection, its secrets under their current names (see withCurrentSecretNames); 404 when absent. */
export const requireConnection = async (deps: SyncDeps, tenantId: string, connectionId: string): Promise<Stored<Connection>> =>
  withCurrentSecretNames(deps, await requireDocument<Connection>(deps, 'connections', 'connection', tenantId, connectionId));

/** The connection with its circuit breaker and rate-limit state, as the workers share them. */
export async function getConnection(deps: SyncDeps, tenantId: string, connectionId: string): Promise<ConnectionView> {
  await requireTenant(deps, tenantId);
  const connection = await requireConnection(deps, tenantId, connectionId);
  const ofConnection = (kind: string) => ({ filters: [{ path: 'kind', op: '=' as const, value: kind }, { path: 'connectionId', op: '=' as const, value: connectionId }] });
  const [cursors, states] = await Promise.all([
    deps.store.query<StreamCursor>('executions', tenantId, ofConnection('cursor'), { maxItems: 100 }),
    deps.store.query<ConnectorState>('executions', tenantId, ofConnection('connector_state'), { maxItems: 100 }),
  ]);
  return view(connection, {
    providerState: await getProviderState(deps, tenantId, connectionId),
    cursors: Object.fromEntries(cursors.items.map((cursor) => [cursor.stream, cursor.value])),
    ...(states.items.length > 0
      ? { incrementalStates: Object.fromEntries(states.items.map(({ stream, state, executionId, updatedAt }) => [stream, { state, executionId, updatedAt }])) }
      : {}),
  });
}

export async function listConnections(
  deps: SyncDeps,
  tenantId: string,
  params: Record<string, string | undefined>,
): Promise<Listing<ConnectionView>> {
  await requireTenant(deps, tenantId);
  const page = await listDocuments<Connection>(deps, 'connections', tenantId, params);
  return { items: page.items.map((connection) => view(connection)), continuationToken: page.continuationToken };
}
