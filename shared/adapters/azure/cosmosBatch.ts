import type { JSONObject, OperationInput, OperationResponse, PartitionKey } from '@azure/cosmos';
import type { BatchOperation, ContainerName } from '../../ports/store.js';
import { BatchError } from '../../ports/batchError.js';
import { ConflictError } from '../../ports/conflictError.js';
import { NotFoundError } from '../../ports/notFoundError.js';
import { PreconditionFailedError } from '../../ports/preconditionFailedError.js';
import { StoreError } from '../../ports/storeError.js';
import { writable } from './cosmosDocuments.js';
import { MAX_PATCH_OPERATIONS, planIncrement } from './cosmosIncrement.js';

/** A Cosmos transactional batch holds at most 100 operations. */
export const MAX_BATCH_OPERATIONS = 100;

/**
 * What the adapter knows of a document before an operation: `body` undefined = absent; `etag`
 * undefined = written earlier in this batch (its new ETag exists only once the batch returns).
 * Ids missing from the map are unknown: the server decides.
 */
export interface DocumentState {
  body: JSONObject | undefined;
  etag: string | undefined;
}
export type KnownDocuments = Map<string, DocumentState>;

export interface PlannedOperation {
  input: OperationInput;
  /** Index of the caller's operation this was planned from. */
  source: number;
  id: string;
  /** An upsert with ifMatch is sent as a replace: its 404 means the document changed (412), as in the port. */
  missingIsStale?: boolean;
  /** Carries an ETag the adapter added (increments), not the caller: losing that race is retried. */
  guarded?: boolean;
}

export interface BatchCapabilities {
  /** Real Cosmos batches run patch operations; @vercel/cosmosdb-server's do not. */
  patch: boolean;
}

export const idOf = (operation: BatchOperation): string => ('doc' in operation ? operation.doc.id : operation.id);

/**
 * Turns the caller's operations into batch operations, applying each to `known` in order so that
 * failures the known documents already show (409/404/412, another tenant's document) are thrown as
 * BatchError before anything is sent, and increments are planned against the document as it will be.
 * Increments become patch operations (chunks of ≤ 10) where the server supports them, else a replace
 * of the incremented document guarded by its ETag.
 */
export function planBatch(
  container: ContainerName,
  tenantId: string,
  operations: BatchOperation[],
  known: KnownDocuments,
  partitionKey: PartitionKey,
  capabilities: BatchCapabilities,
): PlannedOperation[] {
  const state = new Map(known);
  const planned: PlannedOperation[] = [];
  operations.forEach((operation, source) => {
    const id = idOf(operation);
    const current = state.get(id);
    const fail = (error: StoreError): never => {
      throw new BatchError(source, error);
    };
    const stale = (ifMatch: string | undefined): boolean => ifMatch !== undefined && current !== undefined && current.etag !== ifMatch;
    const emit = (input: OperationInput, extra: Partial<PlannedOperation> = {}): void => {
      planned.push({ input: { ...input, partitionKey }, source, id, ...extra });
    };
    if ('doc' in operation && operation.doc.tenantId !== tenantId) {
      fail(new StoreError(`batch for tenant ${tenantId} cannot write a document of tenant ${operation.doc.tenantId}`, 400));
    }
    switch (operation.op) {
      case 'create': {
        if (current?.body) fail(new ConflictError(container, id));
        const body = writable(operation.doc);
        emit({ operationType: 'Create', resourceBody: body });
        state.set(id, { body, etag: undefined });
        return;
      }
      case 'upsert':
      case 'replace': {
        const { ifMatch } = operation;
        const strictUpsert = operation.op === 'upsert' && ifMatch !== undefined;
        if (operation.op === 'replace' && current && !current.body) fail(new NotFoundError(container, id));
        if (strictUpsert && current && !current.body) fail(new PreconditionFailedError(container, id));
        if (stale(ifMatch)) fail(new PreconditionFailedError(container, id));
        const body = writable(operation.doc);
        const withMatch = ifMatch === undefined ? {} : { ifMatch };
        if (operation.op === 'upsert' && !strictUpsert) emit({ operationType: 'Upsert', resourceBody: body });
        else emit({ operationType: 'Replace', id, resourceBody: body, ...withMatch }, strictUpsert ? { missingIsStale: true } : {});
        state.set(id, { body, etag: undefined });
        return;
      }
      case 'delete': {
        if (current && !current.body) fail(new NotFoundError(container, id)); // a batch delete of nothing fails, as in Cosmos
        if (stale(operation.ifMatch)) fail(new PreconditionFailedError(container, id));
        emit({ operationType: 'Delete', id, ...(operation.ifMatch === undefined ? {} : { ifMatch: operation.ifMatch }) });
        state.set(id, { body: undefined, etag: undefined });
        return;
      }
      case 'increment': {
        if (!current) throw new Error(`increment target ${id} must be read before planning`);
        if (!current.body) return fail(new NotFoundError(container, id));
        let plan;
        try {
          plan = planIncrement(current.body, operation.increments);
        } catch (error) {
          return fail(error as StoreError);
        }
        // Guarded by the ETag read; a document written earlier in this batch is known exactly.
        const guard = current.etag === undefined ? {} : { ifMatch: current.etag };
        if (capabilities.patch) {
          for (let start = 0; start < plan.operations.length; start += MAX_PATCH_OPERATIONS) {
            // The ETag is checked once, before the first chunk: later chunks follow it inside the atomic batch.
            const conditional = start === 0 && plan.conditional && current.etag !== undefined;
            const chunk = plan.operations.slice(start, start + MAX_PATCH_OPERATIONS);
            emit({ operationType: 'Patch', id, resourceBody: { operations: chunk }, ...(conditional ? guard : {}) }, { guarded: conditional });
          }
        } else {
          emit({ operationType: 'Replace', id, resourceBody: plan.result, ...guard }, { guarded: current.etag !== undefined });
        }
        state.set(id, { body: plan.result, etag: undefined });
        return;
      }
    }
  });
  return planned;
}

/** Index of the operation that failed the batch (the others answer 424), or -1. */
export function failedIndex(results: readonly OperationResponse[]): number {
  return results.findIndex((result) => result.statusCode >= 400 && result.statusCode !== 424);
}

/**
 * Operations that put back, as `known` had them, the documents changed by the planned operations
 * before `failedAt`. Needed only where the server's batch is not atomic (@vercel/cosmosdb-server
 * applies operations until one fails); Cosmos rolls a failed batch back itself. Each undo is
 * guarded by the ETag the batch gave the document, so a concurrent writer's change is not overwritten.
 */
export function undoOperations(
  planned: readonly PlannedOperation[],
  results: readonly OperationResponse[],
  failedAt: number,
  known: KnownDocuments,
  partitionKey: PartitionKey,
): OperationInput[] {
  const last = new Map<string, { etag: string | undefined; deleted: boolean }>();
  planned.slice(0, failedAt).forEach((operation, index) => {
    last.set(operation.id, { etag: results[index]?.eTag, deleted: operation.input.operationType === 'Delete' });
  });
  const undo: OperationInput[] = [];
  for (const [id, after] of last) {
    const before = known.get(id)?.body;
    const ifMatch = after.etag === undefined ? {} : { ifMatch: after.etag };
    if (!before && !after.deleted) undo.push({ operationType: 'Delete', id, partitionKey, ...ifMatch });
    else if (before && after.deleted) undo.push({ operationType: 'Create', resourceBody: before, partitionKey });
    else if (before) undo.push({ operationType: 'Replace', id, resourceBody: before, partitionKey, ...ifMatch });
  }
  return undo;
}
