import type { TokenVerifier } from '../../ports/tokenVerifier.js';

/** How callers of the admin API are authenticated in this process (built by runtime.ts from the settings). */
export interface AccessSettings {
  /** Development only: every caller is an admin of every tenant. Refused in Azure. */
  disabled: boolean;
  /** SHA-256 of the local admin key's secret (`admin.key`), when the process has one. */
  localAdminKeyHash?: string;
  /** Entra ID bearer tokens, when configured. */
  tokenVerifier?: TokenVerifier;
  /** The claim listing the tenants a token's principal may act for (`*` = all). */
  tenantsClaim: string;
  /** App Service authentication fronts the app, so `X-MS-CLIENT-PRINCIPAL` can only come from the platform. */
  trustAppServicePrincipal: boolean;
}
