import { z } from 'zod';
import { role, type Role } from '../access/roles.js';

export const membershipInput = z.strictObject({
  /** The most the person may do in this tenant (their token's app role still applies). */
  role,
  /** Who this is, for people reading the list; never used for decisions. */
  name: z.string().trim().min(1).max(200).optional(),
});

/**
 * That an Entra ID principal (user, group member or application, by object id) may act for a
 * tenant, in the tenant's partition of `tenants`.
 */
export interface MembershipDoc {
  id: string;
  tenantId: string;
  kind: 'membership';
  principalId: string;
  role: Role;
  name?: string;
  createdAt: string;
  updatedAt: string;
}
