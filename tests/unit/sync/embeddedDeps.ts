import type { SqliteDatabase } from '../../../shared/adapters/embedded/sqliteDatabase.js';
import { SqliteStore } from '../../../shared/adapters/embedded/sqliteStore.js';
import { SqliteBus } from '../../../shared/adapters/embedded/sqliteBus.js';
import { LocalSecrets } from '../../../shared/adapters/embedded/localSecrets.js';
import { systemClock, type Clock } from '../../../shared/ports/clock.js';
import { ProviderRegistry } from '../../../shared/connectors/providerRegistry.js';
import type { ProviderDefinition } from '../../../shared/connectors/providerDefinition.js';
import type { Logger, SyncDeps } from '../../../shared/sync/syncDeps.js';
import type { OutboundGuard } from '../../../shared/connectors/http/outboundGuard.js';
import { loopbackOutbound } from './loopbackOutbound.js';
import { UndiciAlertTransport } from '../../../shared/adapters/network/undiciAlertTransport.js';
import { SecretRedaction } from '../../../shared/sync/security/secretRedaction.js';
import { secretsWithRedaction } from '../../../shared/sync/security/secretsWithRedaction.js';
import { createSyncCaches } from '../../../shared/sync/syncCaches.js';
import { authPauses } from '../../../shared/sync/executions/authPause.js';

export const quietLog: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Use-case dependencies on an embedded database (the real SQLite adapters). Several calls on one
 * database act like several workers sharing one store.
 */
export function embeddedDeps(
  db: SqliteDatabase,
  options: { clock?: Clock; random?: () => number; providers?: ProviderDefinition[]; log?: Logger; outbound?: OutboundGuard } = {},
): SyncDeps & { bus: SqliteBus } {
  const clock = options.clock ?? systemClock;
  // As runtime.ts wires them: every secret read or saved is redacted from then on.
  const redaction = new SecretRedaction();
  const outbound = options.outbound ?? loopbackOutbound();
  return {
    store: new SqliteStore(db, clock),
    bus: new SqliteBus(db, { clock }),
    secrets: secretsWithRedaction(new LocalSecrets(), redaction),
    clock,
    random: options.random ?? Math.random,
    providers: new ProviderRegistry(options.providers ?? []),
    outbound,
    alertTransport: new UndiciAlertTransport(outbound),
    log: options.log ?? quietLog,
    credentialsEvents: authPauses,
    redaction,
    caches: createSyncCaches(),
  };
}
