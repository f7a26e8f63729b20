import type { HeaderReader } from '../../core/triggers/webhookSignature.js';
import type { Principal } from '../../core/access/principal.js';
import { parsePresentedKey, secretMatches, type TenantKeyParts } from '../../core/access/apiKeyFormat.js';
import { principalFromClaims } from '../../core/access/entraClaims.js';
import { claimsFromAppServiceHeader } from '../../core/access/appServicePrincipal.js';
import type { ApiKey } from '../../core/schemas/apiKey.js';
import { ids } from '../../core/ids.js';
import { InvalidTokenError } from '../../ports/invalidTokenError.js';
import type { SyncDeps } from '../syncDeps.js';
import { UnauthenticatedError } from './unauthenticatedError.js';

const DEVELOPMENT: Principal = { kind: 'development', id: 'development', role: 'Sync.Admin', tenants: '*' };
const LOCAL_ADMIN: Principal = { kind: 'localAdmin', id: 'local-admin', role: 'Sync.Admin', tenants: '*' };
/** A key's `lastUsedAt` is written at most this often, so busy keys cost no write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Who is calling: `Authorization: Bearer <tenant API key | local admin key | Entra ID token>`, or
 * App Service authentication's principal header where the platform sets it. No credentials, or
 * credentials that do not verify, are an UnauthenticatedError (401) that does not say which.
 * Without access settings nothing is accepted (fail closed).
 */
export async function authenticate(deps: SyncDeps, headers: HeaderReader): Promise<Principal> {
  const settings = deps.access;
  if (settings?.disabled) return DEVELOPMENT;
  const authorization = headers.get('authorization');
  if (authorization !== null && authorization !== '') {
    const bearer = /^Bearer +(\S{1,8192})$/i.exec(authorization.trim());
    if (!bearer) throw new UnauthenticatedError('the Authorization header must read "Bearer <credential>"');
    return authenticateBearer(deps, bearer[1]!);
  }
  // Only where App Service authentication fronts the app: it strips the header from what callers send.
  const appServicePrincipal = settings?.trustAppServicePrincipal ? headers.get('x-ms-client-principal') : null;
  if (appServicePrincipal) {
    const claims = claimsFromAppServiceHeader(appServicePrincipal);
    const principal = claims && principalFromClaims(claims, settings!.tenantsClaim);
    if (principal) return principal;
    deps.log.warn('request refused: App Service principal header without an object id');
    throw new UnauthenticatedError();
  }
  throw new UnauthenticatedError();
}

async function authenticateBearer(deps: SyncDeps, credential: string): Promise<Principal> {
  const settings = deps.access;
  const presented = parsePresentedKey(credential);
  if (presented.kind === 'tenant') return authenticateTenantKey(deps, presented.parts);
  if (presented.kind === 'localAdmin') {
    if (settings?.localAdminKeyHash && secretMatches(presented.secret, settings.localAdminKeyHash)) return LOCAL_ADMIN;
    throw new UnauthenticatedError();
  }
  if (!settings?.tokenVerifier) throw new UnauthenticatedError();
  try {
    const principal = principalFromClaims(await settings.tokenVerifier.verify(credential), settings.tenantsClaim);
    if (principal) return principal;
    deps.log.warn('request refused: token without an object id (oid)');
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    deps.log.warn('request refused: bearer token not accepted', { reason: error.reason });
  }
  throw new UnauthenticatedError();
}

async function authenticateTenantKey(deps: SyncDeps, parts: TenantKeyParts): Promise<Principal> {
  const key = await deps.store.read<ApiKey>('tenants', parts.tenantId, ids.apiKey(parts.keyId));
  const now = deps.clock.now();
  const valid =
    key !== undefined &&
    key.revokedAt === undefined &&
    (key.expiresAt === undefined || Date.parse(key.expiresAt) > now.getTime()) &&
    (secretMatches(parts.secret, key.hash) ||
      (key.previous !== undefined && Date.parse(key.previous.expiresAt) > now.getTime() && secretMatches(parts.secret, key.previous.hash)));
  if (!valid) throw new UnauthenticatedError();
  if (key.lastUsedAt === undefined || now.getTime() - Date.parse(key.lastUsedAt) >= LAST_USED_RESOLUTION_MS) {
    // Conditional on the version read: a concurrent rotation or revocation is never overwritten.
    await deps.store.replace<ApiKey>('tenants', { ...key, lastUsedAt: now.toISOString() }, { ifMatch: key._etag }).catch(() => undefined);
  }
  return { kind: 'apiKey', id: `key:${key.keyId}`, name: key.name, role: key.role, tenants: [key.tenantId] };
}
