import type { Bus } from '../ports/bus.js';
import type { Clock } from '../ports/clock.js';
import type { Secrets } from '../ports/secrets.js';
import type { Store } from '../ports/store.js';
import type { AlertTransport } from '../ports/alertTransport.js';
import type { ProviderRegistry } from '../connectors/providerRegistry.js';
import type { OutboundGuard } from '../connectors/http/outboundGuard.js';
import type { ConflictHookRegistry } from '../core/conflicts/customHooks.js';
import type { SecretRedaction } from './security/secretRedaction.js';
import type { AccessSettings } from './access/accessSettings.js';
import type { SyncCaches } from './syncCaches.js';
import type { CredentialsEvents } from './credentialsEvents.js';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Everything a use case may touch; built once per process by runtime.ts. */
export interface SyncDeps {
  store: Store;
  bus: Bus;
  secrets: Secrets;
  clock: Clock;
  /** Uniform in [0, 1), like Math.random: every jitter and random choice of a use case draws from it, so tests can fix it. */
  random: () => number;
  providers: ProviderRegistry;
  /** Checks tenant-supplied URLs at save and guards every connection to them (SSRF). */
  outbound: OutboundGuard;
  /** Where alerts go out, through `outbound`. */
  alertTransport: AlertTransport;
  log: Logger;
  /** Where connections and write-backs tell the executions room what credentials showed (executions/authPause.ts). */
  credentialsEvents: CredentialsEvents<SyncDeps>;
  /** Every secret the process has loaded: text stored or sent from provider errors passes through it. */
  redaction: SecretRedaction;
  /** What the process remembers between messages (connectors, compiled schemas, look-up layouts…). */
  caches: SyncCaches;
  /** How admin API callers are authenticated; absent = nobody is (fail closed). */
  access?: AccessSettings;
  /** Per-stream code that settles conflicting fields for the `custom` strategy; none registered = none allowed. */
  conflictHooks?: ConflictHookRegistry;
}
