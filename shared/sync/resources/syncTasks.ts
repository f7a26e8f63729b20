import type { Stored } from '../../ports/store.js';
import type { Connection } from '../../core/schemas/connection.js';
import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import { emptyCounts, type Counts, type Execution } from '../../core/schemas/execution.js';
import { syncTaskInput, type SyncTask } from '../../core/schemas/syncTask.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { InvalidInputError, type IssueDetail } from '../invalidInputError.js';
import { requireDocument, resolveResourceId } from './resourceIdentity.js';
import { parseInput } from '../parseInput.js';
import { listDocuments, type Listing } from '../resourceListing.js';

/**
 * Create or update a sync task. References are checked now, with every problem listed, so that
 * a task that cannot run is refused at creation instead of failing at run time.
 */
export async function saveSyncTask(
  deps: SyncDeps,
  tenantId: string,
  body: unknown,
  pathId?: string,
): Promise<{ task: Stored<SyncTask>; created: boolean }> {
  await requireTenant(deps, tenantId);
  const input = parseInput(syncTaskInput, body);
  const id = resolveResourceId({ pathId, bodyId: input.id, pathParam: 'taskId', prefix: 'tsk' });
  const issues: IssueDetail[] = [];
  const connection = await deps.store.read<Connection>('connections', tenantId, input.connectionId);
  if (!connection) {
    issues.push({ path: 'connectionId', message: `connection "${input.connectionId}" does not exist` });
  }
  const offered = connection ? new Set(deps.providers.streamsOf(connection).map((s) => s.name)) : undefined;
  for (const [index, entry] of input.streams.entries()) {
    if (offered && !offered.has(entry.stream)) {
      issues.push({
        path: `streams.${index}.stream`,
        message: `${connection!.provider} offers ${[...offered].join(', ')}; not "${entry.stream}"`,
      });
    }
    const schema = await deps.store.read<ConversionSchema>('schemas', tenantId, entry.schemaId);
    if (!schema) issues.push({ path: `streams.${index}.schemaId`, message: `schema "${entry.schemaId}" does not exist` });
    if (entry.writeSchemaId !== undefined) {
      const writeSchema = await deps.store.read<ConversionSchema>('schemas', tenantId, entry.writeSchemaId);
      if (!writeSchema) issues.push({ path: `streams.${index}.writeSchemaId`, message: `schema "${entry.writeSchemaId}" does not exist` });
      else if (schema && writeSchema.shardType !== schema.shardType) {
        issues.push({ path: `streams.${index}.writeSchemaId`, message: `schema "${entry.writeSchemaId}" converts ${writeSchema.shardType} shards; the stream's schema reads ${schema.shardType}` });
      }
    }
  }
  const strategies = [input.conflictResolution.strategy, ...Object.values(input.conflictResolution.fields)];
  if (strategies.includes('custom')) {
    for (const [index, entry] of input.streams.entries()) {
      if (!deps.conflictHooks?.has(entry.stream)) {
        issues.push({ path: `streams.${index}.stream`, message: `the "custom" conflict strategy needs a hook registered for stream "${entry.stream}"` });
      }
    }
  }
  if (issues.length > 0) throw new InvalidInputError(issues);

  const existing = await deps.store.read<SyncTask>('tasks', tenantId, id);
  const now = deps.clock.now().toISOString();
  const task: SyncTask = {
    id,
    tenantId,
    name: input.name ?? existing?.name ?? id,
    connectionId: input.connectionId,
    streams: input.streams,
    direction: input.direction,
    conflictResolution: input.conflictResolution,
    defaults: input.defaults,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  const stored = await deps.store.upsert('tasks', task);
  return { task: stored, created: !existing };
}

export const requireSyncTask = (deps: SyncDeps, tenantId: string, taskId: string): Promise<Stored<SyncTask>> =>
  requireDocument<SyncTask>(deps, 'tasks', 'task', tenantId, taskId);

/** A task as the API shows it: with how its runs went. */
export type SyncTaskView = Stored<SyncTask> & {
  lastExecution: { id: string; status: string; createdAt: string; finishedAt: string | null; counts: Counts } | null;
  /** When a run of this task last ended in success, and what it counted. */
  lastSuccessfulSyncAt: string | null;
  lastSuccessfulCounts: Counts | null;
};

async function withRuns(deps: SyncDeps, task: Stored<SyncTask>): Promise<SyncTaskView> {
  const newest = async (status?: string) =>
    (
      await deps.store.query<Execution>(
        'executions',
        task.tenantId,
        {
          filters: [
            { path: 'kind', op: '=', value: 'execution' },
            { path: 'taskId', op: '=', value: task.id },
            ...(status ? [{ path: 'status', op: '=' as const, value: status }] : []),
          ],
          orderBy: { path: 'createdAt', direction: 'desc' },
        },
        { maxItems: 1 },
      )
    ).items[0];
  const [last, lastSuccess] = await Promise.all([newest(), newest('success')]);
  return {
    ...task,
    lastExecution: last
      ? { id: last.id, status: last.status, createdAt: last.createdAt, finishedAt: last.finishedAt ?? null, counts: last.counts }
      : null,
    lastSuccessfulSyncAt: lastSuccess?.finishedAt ?? null,
    lastSuccessfulCounts: lastSuccess ? { ...emptyCounts(), ...lastSuccess.counts } : null,
  };
}

export async function getSyncTask(deps: SyncDeps, tenantId: string, taskId: string): Promise<SyncTaskView> {
  await requireTenant(deps, tenantId);
  return withRuns(deps, await requireSyncTask(deps, tenantId, taskId));
}

export async function listSyncTasks(
  deps: SyncDeps,
  tenantId: string,
  params: Record<string, string | undefined>,
): Promise<Listing<SyncTaskView>> {
  await requireTenant(deps, tenantId);
  const page = await listDocuments<SyncTask>(deps, 'tasks', tenantId, params);
  return { items: await Promise.all(page.items.map((task) => withRuns(deps, task))), continuationToken: page.continuationToken };
}
