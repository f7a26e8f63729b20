import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../../../shared/core/access/accessDecision.js';
import type { Principal } from '../../../../shared/core/access/principal.js';
import { ROLES, type Access } from '../../../../shared/core/access/roles.js';
import { principalFromClaims } from '../../../../shared/core/access/entraClaims.js';
import { claimsFromAppServiceHeader } from '../../../../shared/core/access/appServicePrincipal.js';
import { formatTenantKey, hashKeySecret, newKeySecret, parsePresentedKey, secretMatches } from '../../../../shared/core/access/apiKeyFormat.js';

const principal = (role: Principal['role'], tenants: Principal['tenants']): Principal => ({ kind: 'apiKey', id: 'key:k', role, tenants });
const ACCESSES: Access[] = ['read', 'operate', 'admin'];

describe('who may do what, where', () => {
  it('readers read, operators also operate, admins do everything', () => {
    const table = ROLES.map((role) => ACCESSES.map((access) => decideAccess(principal(role, ['t1']), access, 't1').allowed));
    expect(table).toEqual([
      [true, false, false],
      [true, true, false],
      [true, true, true],
    ]);
  });

  it('credentials scoped to one tenant are refused on any other, whatever the role', () => {
    for (const access of ACCESSES) {
      expect(decideAccess(principal('Sync.Admin', ['t1']), access, 't2')).toMatchObject({ allowed: false, reason: 'tenant_not_allowed' });
    }
    expect(decideAccess(principal('Sync.Admin', '*'), 'admin', 't2').allowed).toBe(true);
  });

  it('a membership lets a person act for a tenant their token does not name, capped by the membership\'s role', () => {
    const person: Principal = { kind: 'entra', id: 'entra:o', objectId: 'o', role: 'Sync.Admin', tenants: [] };
    expect(decideAccess(person, 'read', 't1')).toMatchObject({ allowed: false, reason: 'tenant_not_allowed' });
    expect(decideAccess(person, 'operate', 't1', { role: 'Sync.Operator' })).toMatchObject({ allowed: true, role: 'Sync.Operator' });
    expect(decideAccess(person, 'admin', 't1', { role: 'Sync.Operator' })).toMatchObject({ allowed: false, reason: 'role_too_low' });
    // …and never above the token's own role.
    expect(decideAccess({ ...person, role: 'Sync.Reader' }, 'operate', 't1', { role: 'Sync.Admin' })).toMatchObject({ allowed: false, reason: 'role_too_low' });
  });

  it('credentials without one of our roles may do nothing', () => {
    expect(decideAccess(principal(undefined, '*'), 'read', 't1')).toMatchObject({ allowed: false, reason: 'no_role' });
  });
});

describe('claims and keys', () => {
  it('Entra claims: the object id is the identity, app roles the role, the tenants claim the tenants (`*` = all)', () => {
    expect(principalFromClaims({ oid: 'o-1', roles: ['Sync.Reader', 'Sync.Operator', 'Other'], shardsync_tenants: ['a', 'b'], name: 'Ann' }, 'shardsync_tenants')).toEqual({
      kind: 'entra', id: 'entra:o-1', objectId: 'o-1', name: 'Ann', role: 'Sync.Operator', tenants: ['a', 'b'],
    });
    expect(principalFromClaims({ oid: 'o-1', roles: ['Sync.Admin'], shardsync_tenants: '*' }, 'shardsync_tenants')).toMatchObject({ tenants: '*' });
    expect(principalFromClaims({ roles: ['Sync.Admin'] }, 'shardsync_tenants')).toBeUndefined();
  });

  it('App Service principal header: claims decoded, the role claim type read as roles; anything else is not a principal', () => {
    const header = Buffer.from(JSON.stringify({
      auth_typ: 'aad',
      name_typ: 'name',
      role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
      claims: [
        { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'o-2' },
        { typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: 'Sync.Reader' },
        { typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: 'Sync.Admin' },
      ],
    })).toString('base64');
    const claims = claimsFromAppServiceHeader(header)!;
    expect(principalFromClaims(claims, 'shardsync_tenants')).toMatchObject({ id: 'entra:o-2', role: 'Sync.Admin', tenants: [] });
    expect(claimsFromAppServiceHeader('bm90IGpzb24=')).toBeUndefined();
    expect(claimsFromAppServiceHeader(Buffer.from('{"claims":"x"}').toString('base64'))).toBeUndefined();
  });

  it('tenant keys split one way and match only their own secret', () => {
    const secret = newKeySecret();
    const key = formatTenantKey({ tenantId: 'rt-b', keyId: 'key_1', secret });
    expect(parsePresentedKey(key)).toEqual({ kind: 'tenant', parts: { tenantId: 'rt-b', keyId: 'key_1', secret } });
    expect(secretMatches(secret, hashKeySecret(secret))).toBe(true);
    expect(secretMatches(newKeySecret(), hashKeySecret(secret))).toBe(false);
    expect(parsePresentedKey(`${key}.extra`)).toEqual({ kind: 'other' });
    expect(parsePresentedKey('eyJhbGciOiJSUzI1NiJ9.e30.sig')).toEqual({ kind: 'other' });
  });
});
