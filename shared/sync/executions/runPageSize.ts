import { pageSizeOf } from '../../core/executions/pageSize.js';
import type { Connection } from '../../core/schemas/connection.js';
import type { Execution } from '../../core/schemas/execution.js';
import type { SyncDeps } from '../syncDeps.js';

/** Records per page a run asks its connection's provider for: its batch size, within what the provider serves. */
export const runPageSize = (deps: Pick<SyncDeps, 'providers'>, execution: Pick<Execution, 'batchSize'>, connection: Pick<Connection, 'provider' | 'settings'>): number =>
  pageSizeOf(execution.batchSize, deps.providers.definition(connection.provider).maxPageSize(connection.settings));
