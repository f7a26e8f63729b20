import type { Bus } from '../ports/bus.js';
import type { Clock } from '../ports/clock.js';
import type { Secrets } from '../ports/secrets.js';
import type { Store } from '../ports/store.js';
import type { ConnectorRegistry } from '../connectors/connectorRegistry.js';
import type { ConflictHookRegistry } from '../core/conflicts/customHooks.js';

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
  connectors: ConnectorRegistry;
  log: Logger;
  /** Per-stream code that settles conflicting fields for the `custom` strategy; none registered = none allowed. */
  conflictHooks?: ConflictHookRegistry;
}
