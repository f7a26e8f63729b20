import type { Execution } from '../../core/schemas/execution.js';
import type { SyncPageMessage } from '../../core/schemas/messages.js';
import { ids } from '../../core/ids.js';
import type { ChainedSourcePage } from '../../connectors/connector.js';
import { keepableRecord } from '../../core/conversion/depthLimit.js';
import type { SyncDeps } from '../syncDeps.js';
import { countOnce, streamIncrements } from '../executions/executionCounters.js';
import { requestNextPage } from '../executions/pageRequests.js';
import { handOverPageRecords } from './pageRecords.js';

/**
 * After a page of a chained stream was fetched: asks for the next page with the provider's token
 * (only now, since only this page knew it), hands the records on, and on the stream's last page
 * (no token, or `maxRecords` reached) settles the totals — pages and records read — together with
 * the connector's state after it. Idempotent: the next page's message id derives from its page,
 * the batch is guarded by its marker and the totals by the last page's fetch marker.
 */
export async function settleChainedPage(deps: SyncDeps, execution: Execution, message: SyncPageMessage, result: ChainedSourcePage, idField: string): Promise<void> {
  const { tenantId, executionId, stream, page } = message;
  const recordsBefore = message.recordsBefore ?? 0;
  const maxRecords = execution.options.maxRecords;
  const room = maxRecords === undefined ? result.records.length : Math.max(0, maxRecords - recordsBefore);
  const records = result.records.slice(0, room).map((record) => keepableRecord(record, idField));
  const reachedMax = maxRecords !== undefined && recordsBefore + records.length >= maxRecords;

  if (result.next !== undefined && !reachedMax) {
    await requestNextPage(deps, message, { token: result.next, recordsBefore: recordsBefore + records.length }, execution.options.interBatchDelayMs);
  }
  await handOverPageRecords(deps, { tenantId, executionId, stream, page }, records);
  if (result.next === undefined || reachedMax) {
    // Stopped by maxRecords with pages left: the read is not complete (its cursor and state stay).
    const truncated = reachedMax && (result.next !== undefined || result.records.length > records.length) ? 1 : 0;
    await countOnce(
      deps,
      tenantId,
      executionId,
      ids.fetchMarker(executionId, stream, page),
      streamIncrements(stream, {}, { totalsKnown: 1, pagesTotal: page, recordsTotal: recordsBefore + records.length, truncated }),
      result.state !== undefined ? { connectorState: { stream, state: result.state } } : {},
    );
  }
}
