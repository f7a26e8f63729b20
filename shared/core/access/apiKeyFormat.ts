import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Tenant API keys read `ssk.<tenantId>.<keyId>.<secret>`: the tenant and key id say where the
 * key's hash is stored (one point read, in the tenant's own partition), the secret is 256 random
 * bits. Only a hash is stored; the key is shown once. `.` appears in neither id, so the parts split
 * one way only.
 */
const TENANT_KEY_PREFIX = 'ssk';
/** The local host's admin key: `ssa.<secret>`, kept in `admin.key`. */
const LOCAL_ADMIN_PREFIX = 'ssa';

export interface TenantKeyParts {
  tenantId: string;
  keyId: string;
  secret: string;
}

export type PresentedKey = { kind: 'tenant'; parts: TenantKeyParts } | { kind: 'localAdmin'; secret: string } | { kind: 'other' };

const SECRET = /^[A-Za-z0-9_-]{43}$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Pure: what kind of bearer credential this is; `other` may be a token for another verifier. */
export function parsePresentedKey(value: string): PresentedKey {
  const parts = value.split('.');
  if (parts[0] === TENANT_KEY_PREFIX && parts.length === 4 && ID.test(parts[1]!) && ID.test(parts[2]!) && SECRET.test(parts[3]!)) {
    return { kind: 'tenant', parts: { tenantId: parts[1]!, keyId: parts[2]!, secret: parts[3]! } };
  }
  if (parts[0] === LOCAL_ADMIN_PREFIX && parts.length === 2 && SECRET.test(parts[1]!)) return { kind: 'localAdmin', secret: parts[1]! };
  return { kind: 'other' };
}

export const newKeySecret = (): string => randomBytes(32).toString('base64url');
export const newKeyId = (): string => `key_${randomBytes(10).toString('hex')}`;
export const formatTenantKey = (parts: TenantKeyParts): string => `${TENANT_KEY_PREFIX}.${parts.tenantId}.${parts.keyId}.${parts.secret}`;
export const formatLocalAdminKey = (secret: string): string => `${LOCAL_ADMIN_PREFIX}.${secret}`;

/** SHA-256 is enough for 256 random bits (nothing to brute-force); hex, as stored. */
export const hashKeySecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashKeySecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
