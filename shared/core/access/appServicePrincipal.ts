import { z } from 'zod';
import type { Claims } from './entraClaims.js';

/** `X-MS-CLIENT-PRINCIPAL`: base64 JSON App Service authentication sets for a signed-in caller. */
const clientPrincipal = z.object({
  auth_typ: z.string().optional(),
  claims: z.array(z.object({ typ: z.string(), val: z.string() })).max(500),
  name_typ: z.string().optional(),
  role_typ: z.string().optional(),
});

/**
 * Pure: the claims in App Service's principal header, multi-valued claims (roles) as arrays and
 * the role claim also under `roles`. Undefined when the header is not what the platform sends.
 */
export function claimsFromAppServiceHeader(header: string): Claims | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = clientPrincipal.safeParse(decoded);
  if (!parsed.success) return undefined;
  const claims: Record<string, string | string[]> = {};
  for (const { typ, val } of parsed.data.claims) {
    const name = typ === parsed.data.role_typ ? 'roles' : typ;
    const existing = claims[name];
    claims[name] = existing === undefined ? (name === 'roles' ? [val] : val) : [...(Array.isArray(existing) ? existing : [existing]), val];
  }
  return claims;
}
