import type { Principal } from './principal.js';
import { lowerRole, REQUIRED_ROLE, roleAllows, type Access, type Role } from './roles.js';

/** A tenant's record that a person may act for it, with the most they may do there. */
export interface Membership {
  role: Role;
}

export type AccessDecision =
  | { allowed: true; role: Role }
  | { allowed: false; reason: 'no_role' | 'role_too_low' | 'tenant_not_allowed'; message: string };

/**
 * Pure: may `principal` do `access` on `tenantId` (absent for routes of no tenant)? The role says
 * what, the tenants say where: a tenant the credentials name, or, for people, one whose
 * membership document names them (which caps their role there).
 */
export function decideAccess(principal: Principal, access: Access, tenantId: string | undefined, membership?: Membership): AccessDecision {
  if (principal.role === undefined) {
    return { allowed: false, reason: 'no_role', message: 'the caller holds none of the roles Sync.Reader, Sync.Operator or Sync.Admin' };
  }
  let role = principal.role;
  if (tenantId !== undefined && principal.tenants !== '*' && !principal.tenants.includes(tenantId)) {
    if (!membership) return { allowed: false, reason: 'tenant_not_allowed', message: `the caller may not act for tenant "${tenantId}"` };
    role = lowerRole(role, membership.role);
  }
  if (tenantId === undefined && principal.tenants !== '*') {
    return { allowed: false, reason: 'tenant_not_allowed', message: 'only callers allowed every tenant may use this route' };
  }
  if (!roleAllows(role, access)) {
    return { allowed: false, reason: 'role_too_low', message: `this needs ${REQUIRED_ROLE[access]}; the caller is ${role}${tenantId ? ` in tenant "${tenantId}"` : ''}` };
  }
  return { allowed: true, role };
}
