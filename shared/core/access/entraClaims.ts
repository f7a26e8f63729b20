import type { Principal } from './principal.js';
import { highestRole } from './roles.js';

/** Claims as a verified token or App Service's principal header carries them. */
export type Claims = Record<string, unknown>;

const OBJECT_ID_CLAIMS = ['oid', 'http://schemas.microsoft.com/identity/claims/objectidentifier'];
const ROLE_CLAIMS = ['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];
const NAME_CLAIMS = ['preferred_username', 'name', 'upn', 'email', 'appid', 'azp'];

const strings = (value: unknown): string[] =>
  typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * Pure: the principal of a person's or an application's Entra ID claims. The object id is its
 * identity (names can change and repeat), app roles give the role, and `tenantsClaim` (an
 * optional claim, or a directory extension) the tenants it may act for, `*` for all. Undefined
 * when the claims name no object id.
 */
export function principalFromClaims(claims: Claims, tenantsClaim: string): Principal | undefined {
  const objectId = OBJECT_ID_CLAIMS.map((name) => claims[name]).find((value): value is string => typeof value === 'string' && value !== '');
  if (!objectId) return undefined;
  const tenants = strings(claims[tenantsClaim]);
  const name = NAME_CLAIMS.map((n) => claims[n]).find((value): value is string => typeof value === 'string' && value !== '');
  return {
    kind: 'entra',
    id: `entra:${objectId}`,
    objectId,
    ...(name ? { name: name.slice(0, 200) } : {}),
    role: highestRole(ROLE_CLAIMS.flatMap((claim) => strings(claims[claim]))),
    tenants: tenants.includes('*') ? '*' : tenants,
  };
}
