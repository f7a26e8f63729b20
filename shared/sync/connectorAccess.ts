import type { Connector } from '../connectors/connector.js';
import type { Connection } from '../core/schemas/connection.js';
import type { SyncDeps } from './syncDeps.js';
import { CredentialsMissingError } from './credentialsMissingError.js';

/** Per connection (tenant/id): the version it was built for and the connector, once built. */
const cache = new Map<string, { version: string; connector: Promise<Connector> }>();

/**
 * One connector per connection version per process: it keeps its HTTP connections alive across
 * pages, and credentials are read from Secrets once, not per page. Concurrent callers share one
 * build. Updating the connection (new `updatedAt`) builds a new one and closes the old one once
 * its in-flight requests are done.
 */
export function connectorFor(deps: SyncDeps, connection: Connection): Promise<Connector> {
  const key = `${connection.tenantId}/${connection.id}`;
  const cached = cache.get(key);
  if (cached?.version === connection.updatedAt) return cached.connector;
  const connector = build(deps, connection);
  cache.set(key, { version: connection.updatedAt, connector });
  connector.catch(() => {
    if (cache.get(key)?.connector === connector) cache.delete(key);
  });
  if (cached) void cached.connector.then((stale) => stale.close?.()).catch(() => undefined);
  return connector;
}

async function build(deps: SyncDeps, connection: Connection): Promise<Connector> {
  const secret = await deps.secrets.get(connection.secretRef);
  if (secret === undefined) throw new CredentialsMissingError(connection.id);
  return deps.connectors.get(connection.provider).create(connection.settings, JSON.parse(secret), { outbound: deps.outbound });
}
