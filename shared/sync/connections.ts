import type { Stored } from '../ports/store.js';
import { connectionInput, type Connection } from '../core/schemas/connection.js';
import { ids } from '../core/ids.js';
import type { SyncDeps } from './syncDeps.js';
import { requireTenant } from './tenants.js';
import { InvalidInputError } from './useCaseErrors.js';
import { requireDocument, resolveResourceId } from './resourceIdentity.js';
import { parseInput } from './zodIssues.js';
import { listDocuments, type Listing } from './resourceListing.js';

/** What the API shows of a connection: never the credentials, only whether they are set. */
export type ConnectionView = Omit<Connection, 'secretRef'> & { hasCredentials: true };

const view = (connection: Connection): ConnectionView => {
  const { secretRef: _secretRef, ...rest } = connection;
  return { ...rest, hasCredentials: true };
};

/**
 * Create (no id, or an id not yet used) or update a connection. Credentials go to Secrets under
 * a name derived from tenant + connection; repeating the same request is harmless.
 */
export async function saveConnection(
  deps: SyncDeps,
  tenantId: string,
  body: unknown,
  pathId?: string,
): Promise<{ connection: ConnectionView; created: boolean }> {
  await requireTenant(deps, tenantId);
  const input = parseInput(connectionInput, body);
  const id = resolveResourceId({ pathId, bodyId: input.id, pathParam: 'connectionId', prefix: 'con' });
  const provider = deps.connectors.get(input.provider);
  const settings = parseInput(provider.settingsSchema, input.settings, 'settings') as Record<string, unknown>;
  const existing = await deps.store.read<Connection>('connections', tenantId, id);
  if (existing && existing.provider !== input.provider) {
    throw new InvalidInputError([{ path: 'provider', message: `connection "${id}" is a ${existing.provider} connection` }]);
  }
  if (!existing && input.credentials === undefined) {
    throw new InvalidInputError([{ path: 'credentials', message: 'required when creating a connection' }]);
  }
  const secretRef = ids.secretForConnection(tenantId, id);
  if (input.credentials !== undefined) {
    const credentials = parseInput(provider.credentialsSchema, input.credentials, 'credentials');
    await deps.secrets.set(secretRef, JSON.stringify(credentials));
  }
  const now = deps.clock.now().toISOString();
  const connection: Connection = {
    id,
    tenantId,
    provider: input.provider,
    name: input.name ?? existing?.name ?? id,
    settings,
    secretRef,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  const stored = await deps.store.upsert('connections', connection);
  return { connection: view(stored), created: !existing };
}

export const requireConnection = (deps: SyncDeps, tenantId: string, connectionId: string): Promise<Stored<Connection>> =>
  requireDocument<Connection>(deps, 'connections', 'connection', tenantId, connectionId);

export async function getConnection(deps: SyncDeps, tenantId: string, connectionId: string): Promise<ConnectionView> {
  await requireTenant(deps, tenantId);
  return view(await requireConnection(deps, tenantId, connectionId));
}

export async function listConnections(
  deps: SyncDeps,
  tenantId: string,
  params: Record<string, string | undefined>,
): Promise<Listing<ConnectionView>> {
  await requireTenant(deps, tenantId);
  const page = await listDocuments<Connection>(deps, 'connections', tenantId, params);
  return { items: page.items.map(view), continuationToken: page.continuationToken };
}
