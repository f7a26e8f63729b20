import type { Connector } from '../connectors/connector.js';
import type { TokenEndpoint } from '../connectors/oauth/tokenEndpoint.js';
import type { Connection } from '../core/schemas/connection.js';
import type { SyncDeps } from './syncDeps.js';
import { CredentialsMissingError } from './credentialsMissingError.js';
import { createRedactor } from '../core/security/redaction.js';
import { secretValues } from '../core/security/redactionSecrets.js';
import { redactingConnector } from './security/redactingConnector.js';
import { oauthTokenSource } from './oauth/oauthTokenSource.js';

/**
 * One connector per connection version per process (deps.caches): it keeps its HTTP connections
 * alive across pages, and credentials are read from Secrets once, not per page. Concurrent callers
 * share one build. Updating the connection (new `updatedAt`) builds a new one and closes the old
 * one once its in-flight requests are done.
 */
export function connectorFor(deps: SyncDeps, connection: Connection): Promise<Connector> {
  const cache = deps.caches.connectors;
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

/** The connector, behind the boundary that redacts this connection's credentials from what it throws. */
async function build(deps: SyncDeps, connection: Connection): Promise<Connector> {
  const secret = await deps.secrets.get(connection.secretRef);
  if (secret === undefined) throw new CredentialsMissingError(connection.id);
  const redactor = createRedactor(secretValues(secret));
  try {
    const credentials = parseCredentials(secret, connection.id);
    // OAuth 2 connectors share the connection's tokens with every worker and host through Secrets.
    const tokens = (endpoint: TokenEndpoint) => oauthTokenSource(deps, connection, endpoint, { where: { stage: 'fetch' } });
    // Its calls are client spans and provider metrics labelled with this connection.
    const outbound = deps.outbound.forConnection({ tenant: connection.tenantId, provider: connection.provider, connection: connection.id });
    return redactingConnector(deps.providers.definition(connection.provider).create(connection.settings, credentials, { outbound, tokens }), redactor);
  } catch (error) {
    throw redactor.redactValue(error);
  }
}

/**
 * Stored credentials that are not JSON are as unusable as missing ones, and new credentials fix
 * both; the parser's own message would quote the start of the secret.
 */
function parseCredentials(secret: string, connectionId: string): unknown {
  try {
    return JSON.parse(secret);
  } catch {
    throw new CredentialsMissingError(connectionId);
  }
}
