import type { TimerHandler } from '@azure/functions';
import { getRuntime } from '../../shared/runtime.js';
import type { SyncDeps } from '../../shared/sync/syncDeps.js';

/** Adapts a scheduled use case to a timer function: each tick runs it with the runtime's deps. */
export function timerEndpoint(run: (deps: SyncDeps) => Promise<void>): TimerHandler {
  return async () => run((await getRuntime()).deps);
}
