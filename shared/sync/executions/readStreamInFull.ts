import type { Execution } from '../../core/schemas/execution.js';
import { readAfterStateExpired } from '../../core/executions/streamRead.js';
import { PreconditionFailedError } from '../../ports/preconditionFailedError.js';
import type { SyncDeps } from '../syncDeps.js';
import { requestFullReadFromStart } from './pageRequests.js';

/**
 * The connector found a stream's incremental state too old (IncrementalStateExpiredError on
 * page 1): the stream is read in full from page 1, without the state, and the execution view says
 * why. Only page 1 was asked for and it brought nothing, so nothing read so far is lost or counted.
 * Idempotent: the switch is an ETag-conditional replace that a redelivery finds done, and page 1
 * is asked for again under an id of its own, so asking twice sends once.
 */
export async function readStreamInFull(deps: SyncDeps, tenantId: string, executionId: string, stream: string): Promise<void> {
  for (;;) {
    const execution = await deps.store.read<Execution>('executions', tenantId, executionId);
    const progress = execution?.streams[stream];
    if (!execution || !progress) return;
    if (progress.read?.kind === 'full') break;
    // The stored state and the modified-since instant go: page 1 is fetched again without them.
    const { state: _expired, modifiedAfter: _tooOld, ...rest } = progress;
    const updated: Execution = { ...execution, streams: { ...execution.streams, [stream]: { ...rest, read: readAfterStateExpired } } };
    try {
      await deps.store.replace('executions', updated, { ifMatch: execution._etag });
      break;
    } catch (error) {
      // A counter moved meanwhile: switch what is stored now.
      if (!(error instanceof PreconditionFailedError)) throw error;
    }
  }
  deps.log.info('incremental state expired; reading the stream in full', { executionId, stream });
  await requestFullReadFromStart(deps, { tenantId, executionId, stream });
}
