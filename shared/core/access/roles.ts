import { z } from 'zod';

/**
 * The app roles of the admin API, lowest first. A role includes everything below it:
 * readers read; operators also start, pause, resume, cancel, retry and resolve; admins also
 * change configuration, connections and credentials.
 */
export const ROLES = ['Sync.Reader', 'Sync.Operator', 'Sync.Admin'] as const;
export type Role = (typeof ROLES)[number];
export const role = z.enum(ROLES);

/** What a route does, and so the least role that may call it. */
export type Access = 'read' | 'operate' | 'admin';
export const REQUIRED_ROLE: Record<Access, Role> = { read: 'Sync.Reader', operate: 'Sync.Operator', admin: 'Sync.Admin' };

const rank = (r: Role): number => ROLES.indexOf(r);

export const roleAllows = (held: Role, access: Access): boolean => rank(held) >= rank(REQUIRED_ROLE[access]);

/** The highest of the roles, or undefined when none is one of ours. */
export function highestRole(roles: readonly string[]): Role | undefined {
  let best: Role | undefined;
  for (const r of roles) {
    if ((ROLES as readonly string[]).includes(r) && (best === undefined || rank(r as Role) > rank(best))) best = r as Role;
  }
  return best;
}

export const lowerRole = (a: Role, b: Role): Role => (rank(a) <= rank(b) ? a : b);
