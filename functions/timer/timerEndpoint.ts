import type { TimerHandler } from '@azure/functions';
import { getRuntime } from '../../shared/runtime.js';
import type { SyncDeps } from '../../shared/sync/syncDeps.js';
import { inSpan } from '../../shared/observability/invocationSpan.js';
import { timerInvocation } from '../../shared/observability/functionInvocations.js';

/** Adapts a scheduled use case to a timer function: each tick runs it with the runtime's deps, in a span that starts a trace. */
export function timerEndpoint(run: (deps: SyncDeps) => Promise<void>): TimerHandler {
  return async (_timer, context) => {
    const { deps } = await getRuntime();
    await inSpan(timerInvocation(context.functionName), () => run(deps));
  };
}
