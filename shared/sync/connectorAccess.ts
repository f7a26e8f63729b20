import type { Connector } from '../connectors/connector.js';
import type { Connection } from '../core/schemas/connection.js';
import type { SyncDeps } from './syncDeps.js';
import { CredentialsMissingError } from './credentialsMissingError.js';

const cache = new Map<string, Connector>();

/**
 * One connector per connection version per process: it keeps its HTTP connections alive across
 * pages, and credentials are read from Secrets once, not per page. Updating the connection
 * (new `updatedAt`) builds a new one.
 */
export async function connectorFor(deps: SyncDeps, connection: Connection): Promise<Connector> {
  const key = `${connection.tenantId}/${connection.id}/${connection.updatedAt}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const secret = await deps.secrets.get(connection.secretRef);
  if (secret === undefined) throw new CredentialsMissingError(connection.id);
  const connector = deps.connectors.get(connection.provider).create(connection.settings, JSON.parse(secret));
  for (const [existingKey, stale] of cache) {
    if (!existingKey.startsWith(`${connection.tenantId}/${connection.id}/`)) continue;
    cache.delete(existingKey);
    void stale.close?.().catch(() => undefined);
  }
  cache.set(key, connector);
  return connector;
}
