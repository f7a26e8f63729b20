import { z } from 'zod';
import { json } from '../../core/conversion/schema.js';
import { isLostRace } from '../../ports/lostRace.js';
import { CONFLICT_RESOLUTIONS, type Conflict } from '../../core/schemas/conflict.js';
import type { Shard } from '../../core/schemas/shard.js';
import type { Failure } from '../../core/schemas/failure.js';
import { withChanges } from '../../core/conflicts/fieldChanges.js';
import { snapshotOf } from '../../core/conflicts/snapshot.js';
import { sourceKey } from '../../core/sourceKey.js';
import type { SyncDeps } from '../syncDeps.js';
import { updateDocument } from '../documentUpdate.js';
import { requireTenant } from '../tenants/tenants.js';
import { InvalidInputError, type IssueDetail } from '../invalidInputError.js';
import { StateConflictError } from '../stateConflictError.js';
import { UnknownResourceError } from '../unknownResourceError.js';
import { parseInput } from '../parseInput.js';
import { patchTypeIssuesOf, shardTypeComputedFields, validateShardData } from './localEdits.js';
import { computedFieldEdits } from '../../core/conversion/produced/computedFieldEdits.js';
import { editedShardHash } from '../../core/executions/editedShardHash.js';
import { refuseTooDeep } from '../security/refuseTooDeep.js';
import { queueWriteBack } from './writeBackQueue.js';
import { recordActivity } from '../operations/activityLog.js';

/** The body of POST …/conflicts/{id}/resolve: the action, with the value of a `custom` one. */
export const resolveRequest = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('custom'), value: json }),
  ...CONFLICT_RESOLUTIONS.filter((action) => action !== 'custom').map((action) => z.strictObject({ action: z.literal(action) })),
]);

/**
 * Settles a conflict. For a field: `accept_local` keeps our value and writes it to the provider,
 * `accept_remote` takes the provider's, `custom` sets a value of the person's (validated like any
 * local edit), `reject` closes it changing nothing, `skip` closes it leaving the record as it is.
 * For an error conflict, `accept_local` writes the record again. Resolving twice is a 409.
 */
export async function resolveConflict(
  deps: SyncDeps,
  tenantId: string,
  conflictId: string,
  body: unknown,
  actor: { type: 'operator'; id?: string },
): Promise<Conflict> {
  await requireTenant(deps, tenantId);
  refuseTooDeep(body);
  const request = parseInput(resolveRequest, body);
  const stored = await deps.store.read<Conflict>('conflicts', tenantId, conflictId);
  if (!stored) throw new UnknownResourceError('conflict', conflictId);
  const { _etag, _ts: _t, ...conflict } = stored;
  if (conflict.status !== 'open') throw new StateConflictError(`conflict ${conflictId} is resolved already`, { status: conflict.status, resolution: conflict.resolution });

  let writeBack = request.action === 'accept_local' || request.action === 'custom';
  if (conflict.path !== undefined && (request.action === 'accept_local' || request.action === 'accept_remote' || request.action === 'custom')) {
    const value = request.action === 'custom' ? request.value : request.action === 'accept_remote' ? conflict.remote : conflict.local;
    writeBack = await settleField(deps, conflict, value, request.action);
  }
  const resolved: Conflict = {
    ...conflict,
    status: 'resolved',
    resolvedAt: deps.clock.now().toISOString(),
    resolution: { action: request.action, ...(request.action === 'custom' ? { value: request.value } : {}), ...(actor.id ? { by: actor.id } : {}) },
  };
  try {
    await deps.store.replace('conflicts', resolved, { ifMatch: _etag });
  } catch (error) {
    if (isLostRace(error)) throw new StateConflictError(`conflict ${conflictId} was resolved meanwhile`, {});
    throw error;
  }
  if (conflict.failureId) await closeFailure(deps, tenantId, conflict.failureId);
  if (writeBack) {
    const { shardId, connectionId, stream, externalId, taskId } = conflict;
    const shard = await deps.store.read<Shard>('shards', tenantId, shardId);
    if (shard) await queueWriteBack(deps, { tenantId, taskId, shardId, connectionId, stream, externalId }, `${snapshotOf(shard.data).hash}:${conflictId}`);
  }
  await recordActivity(deps, { tenantId, actor, action: 'conflict.resolved', subject: { kind: 'conflict', id: conflictId }, taskId: conflict.taskId, details: { action: request.action, ...(conflict.path ? { path: conflict.path } : {}) } });
  return resolved;
}

/** The failure that waited for the conflict is settled with it. */
async function closeFailure(deps: SyncDeps, tenantId: string, failureId: string): Promise<void> {
  const failure = await deps.store.read<Failure>('failures', tenantId, failureId);
  if (!failure || failure.status !== 'open') return;
  const { _etag, _ts: _t, ...doc } = failure;
  await deps.store.replace('failures', { ...doc, status: 'resolved' }, { ifMatch: _etag });
}

/**
 * Puts the chosen value into the shard (its computed fields following); taking the provider's
 * value also moves the record's base there, so nothing is written back for it. A value of the
 * person's own is refused for a computed field, as an edit is. Returns whether the provider still
 * needs the value.
 */
async function settleField(deps: SyncDeps, conflict: Conflict, value: unknown, action: 'accept_local' | 'accept_remote' | 'custom'): Promise<boolean> {
  const fromRemote = action === 'accept_remote';
  const keys = conflict.path!.split('.');
  const change = [{ path: conflict.path!, keys, value }];
  await updateDocument<Shard, void>(deps, 'shards', conflict.tenantId, conflict.shardId, async (shard) => {
    if (!shard) throw new UnknownResourceError('shard', conflict.shardId);
    // Issues at the field itself (or inside the value) are the value's: named from `value`.
    const at = `value.${conflict.path}`;
    const asValue = (issue: IssueDetail): IssueDetail =>
      issue.path === at || issue.path.startsWith(`${at}.`) ? { ...issue, path: `value${issue.path.slice(at.length)}` } : issue;
    const computed = await shardTypeComputedFields(deps, conflict.tenantId, shard.shardType);
    const patch = withChanges({}, change);
    const typeIssues = [...(await patchTypeIssuesOf(deps, conflict.tenantId, shard.shardType, patch, 'value')), ...(action === 'custom' ? computedFieldEdits(computed.fields, patch, 'value') : [])];
    if (typeIssues.length > 0) throw new InvalidInputError(typeIssues.map(asValue));
    // A conflict on a computed field itself (opened before they were told apart) takes the chosen value as it is.
    const data = computed.fields.has(conflict.path!) ? withChanges(shard.data, change) : await computed.recompute(withChanges(shard.data, change), shard.data);
    const issues = await validateShardData(deps, conflict.tenantId, shard.shardType, data, 'value');
    if (issues.length > 0) throw new InvalidInputError(issues.map(asValue));
    const externalRelationships = shard.externalRelationships.map((r) =>
      fromRemote && r.base && sourceKey(r) === sourceKey(conflict) ? { ...r, base: snapshotOf(withChanges(r.base.data, change)) } : r,
    );
    return { result: undefined, next: { ...shard, data, hash: editedShardHash(shard, data), externalRelationships, version: shard.version + 1, updatedAt: deps.clock.now().toISOString() } };
  });
  return !fromRemote;
}
