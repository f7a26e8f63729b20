import { membershipInput, type MembershipDoc, type MembershipView } from '../../core/schemas/membership.js';
import { resourceId } from '../../core/schemas/resourceId.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { UnknownResourceError } from '../unknownResourceError.js';
import { parseInput } from '../parseInput.js';
import { listDocuments, type Listing } from '../resourceListing.js';
import { recordActivity } from '../operations/activityLog.js';
import type { OperatorActor } from './authorize.js';

const view = ({ kind: _kind, id: _id, ...rest }: MembershipDoc): MembershipView => ({ ...rest, id: rest.principalId });

/** Lets an Entra ID principal (by object id) act for the tenant, up to `role`. Idempotent. */
export async function putMembership(deps: SyncDeps, tenantId: string, principalId: string, body: unknown, actor: OperatorActor): Promise<{ membership: MembershipView; created: boolean }> {
  await requireTenant(deps, tenantId);
  parseInput(resourceId, principalId, 'path.principalId');
  const input = parseInput(membershipInput, body);
  const existing = await deps.store.read<MembershipDoc>('tenants', tenantId, ids.membership(principalId));
  const now = deps.clock.now().toISOString();
  const membership: MembershipDoc = {
    id: ids.membership(principalId),
    tenantId,
    kind: 'membership',
    principalId,
    role: input.role,
    ...(input.name ? { name: input.name } : {}),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.store.upsert('tenants', membership);
  await recordActivity(deps, { tenantId, actor, action: existing ? 'membership.updated' : 'membership.created', subject: { kind: 'membership', id: principalId }, details: { role: input.role } });
  return { membership: view(membership), created: !existing };
}

export async function getMembership(deps: SyncDeps, tenantId: string, principalId: string): Promise<MembershipView> {
  await requireTenant(deps, tenantId);
  const membership = await deps.store.read<MembershipDoc>('tenants', tenantId, ids.membership(principalId));
  if (!membership || membership.kind !== 'membership') throw new UnknownResourceError('membership', principalId);
  return view(membership);
}

export async function listMemberships(deps: SyncDeps, tenantId: string, params: Record<string, string | undefined>): Promise<Listing<MembershipView>> {
  await requireTenant(deps, tenantId);
  const page = await listDocuments<MembershipDoc>(deps, 'tenants', tenantId, params, { filters: [{ path: 'kind', op: '=', value: 'membership' }] });
  return { items: page.items.map(view), continuationToken: page.continuationToken };
}

/** The principal can no longer act for the tenant through membership; removing it twice is a 404. */
export async function deleteMembership(deps: SyncDeps, tenantId: string, principalId: string, actor: OperatorActor): Promise<void> {
  await requireTenant(deps, tenantId);
  if (!(await deps.store.delete('tenants', tenantId, ids.membership(principalId)))) throw new UnknownResourceError('membership', principalId);
  await recordActivity(deps, { tenantId, actor, action: 'membership.deleted', subject: { kind: 'membership', id: principalId } });
}
