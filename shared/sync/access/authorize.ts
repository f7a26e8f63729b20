import type { Principal } from '../../core/access/principal.js';
import type { Access } from '../../core/access/roles.js';
import { decideAccess } from '../../core/access/accessDecision.js';
import type { MembershipDoc } from '../../core/schemas/membership.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import { ForbiddenError } from './forbiddenError.js';

/** Who the audit log names for an operator's action: always the authenticated principal. */
export interface OperatorActor {
  type: 'operator';
  id: string;
}

/**
 * May the principal do `access` on `tenantId`? A person whose token does not name the tenant may
 * still act for it through the tenant's membership document (one point read). Refusals are a
 * ForbiddenError (403), the same for an unknown tenant as for someone else's, so tenants cannot
 * be discovered this way.
 */
export async function authorize(deps: SyncDeps, principal: Principal, access: Access, tenantId: string | undefined): Promise<OperatorActor> {
  const needsMembership = tenantId !== undefined && principal.objectId !== undefined && principal.tenants !== '*' && !principal.tenants.includes(tenantId);
  const membership = needsMembership ? await deps.store.read<MembershipDoc>('tenants', tenantId, ids.membership(principal.objectId!)) : undefined;
  const decision = decideAccess(principal, access, tenantId, membership);
  if (!decision.allowed) {
    deps.log.warn('request refused', { principal: principal.id, access, tenantId, reason: decision.reason });
    throw new ForbiddenError(decision.message);
  }
  return { type: 'operator', id: principal.id };
}
