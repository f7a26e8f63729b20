import type { AuthRefusal, Execution } from '../../core/schemas/execution.js';
import type { CredentialsEvents } from '../credentialsEvents.js';
import type { SyncDeps } from '../syncDeps.js';
import { applyExecutionEvent } from './executionLifecycle.js';
import { resumeExecution } from './controlExecution.js';

/** New credentials are what executions paused for `auth` were waiting for: they resume. */
export async function resumeAuthPaused(deps: SyncDeps, tenantId: string, connectionId: string): Promise<void> {
  const paused = await deps.store.query<Execution>(
    'executions',
    tenantId,
    {
      filters: [
        { path: 'kind', op: '=', value: 'execution' },
        { path: 'connectionId', op: '=', value: connectionId },
        { path: 'status', op: '=', value: 'paused' },
        { path: 'pauseReason', op: '=', value: 'auth' },
      ],
    },
    { maxItems: 1000 },
  );
  for (const execution of paused.items) {
    deps.log.info('credentials updated: resuming execution paused for auth', { executionId: execution.id, connectionId });
    await resumeExecution(deps, tenantId, execution.id, { type: 'system', id: `credentials of ${connectionId}` });
  }
}

/** Credentials refused: the connection's running executions pause for new ones too (they resume when credentials are saved), saying why. */
export async function pauseConnectionRuns(deps: SyncDeps, tenantId: string, connectionId: string, authRefusal: AuthRefusal): Promise<void> {
  const running = await deps.store.query<Execution>('executions', tenantId, {
    filters: [{ path: 'connectionId', op: '=', value: connectionId }, { path: 'status', op: '=', value: 'running' }],
  }, { maxItems: 100 });
  for (const execution of running.items) await applyExecutionEvent(deps, tenantId, execution.id, { type: 'pause', reason: 'auth' }, { authRefusal });
}

/** The executions room's answer to what a connection's credentials showed (SyncDeps.credentialsEvents). */
export const authPauses: CredentialsEvents<SyncDeps> = { renewed: resumeAuthPaused, refused: pauseConnectionRuns };
