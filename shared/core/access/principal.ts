import type { Role } from './roles.js';

/**
 * Who is calling, as authentication established it:
 * - `entra`: a Microsoft Entra ID bearer token, or App Service authentication's principal header;
 * - `apiKey`: a tenant's API key, scoped to that tenant and one role;
 * - `localAdmin`: the local host's admin key (`admin.key` in the data directory);
 * - `development`: authentication switched off (local development only).
 */
export interface Principal {
  kind: 'entra' | 'apiKey' | 'localAdmin' | 'development';
  /** Stable and unique per caller: what the audit log names (`entra:<object id>`, `key:<key id>`…). */
  id: string;
  /** For people: the name or e-mail the identity provider gave; never trusted for decisions. */
  name?: string;
  /** The highest role the credentials carry; undefined when they carry none of ours. */
  role: Role | undefined;
  /** Tenants the credentials name: every tenant (`*`), or a list (a key's own tenant, a token's claim). */
  tenants: '*' | readonly string[];
  /** Entra object id, looked up in a tenant's memberships when the tenant is not in `tenants`. */
  objectId?: string;
}
