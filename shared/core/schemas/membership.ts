import { z } from 'zod';
import { role, type Role } from '../access/roles.js';

export const membershipInput = z
  .strictObject({
    role: role.describe("The most the principal may do in this tenant (their token's app role still applies)."),
    name: z.string().trim().min(1).max(200).optional().describe('Who this is, for people reading the list; never used for decisions. Absent: none is kept.'),
  })
  .meta({ id: 'MembershipInput', description: 'What an Entra ID principal may do in the tenant.' });

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

/** A membership as the API answers with it. */
export const membershipView = z
  .object({
    id: z.string().describe('The principal id, as in `principalId`.'),
    tenantId: z.string(),
    principalId: z.string().describe('The Entra ID object id of the user, group member or application.'),
    role,
    name: z.string().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Membership', description: 'That an Entra ID principal may act for the tenant, up to a role.' });
export type MembershipView = z.infer<typeof membershipView>;
