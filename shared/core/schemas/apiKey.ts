import { z } from 'zod';
import { role, type Role } from '../access/roles.js';

export const apiKeyInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200).describe('What the key is for, e.g. `nightly export`; shown in listings.'),
    role: role.describe('The most the key may do in this tenant.'),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('When the key stops working (ISO 8601 with offset, in the future); absent: until revoked.'),
  })
  .meta({ id: 'ApiKeyInput', description: 'A new tenant API key.' });

export const apiKeyRotation = z
  .strictObject({
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3600)
      .default(24 * 3600)
      .describe('Seconds the replaced secret keeps working, so callers can switch over; 0 = not at all.'),
  })
  .meta({ id: 'ApiKeyRotation', description: 'How a rotation treats the secret it replaces.' });

/** What the API shows of a key: never its secret or hash. */
export const apiKeyView = z
  .object({
    id: z.string().describe('The key id (`key_…`), as in `keyId`.'),
    tenantId: z.string(),
    keyId: z.string(),
    name: z.string(),
    role,
    expiresAt: z.iso.datetime().optional(),
    createdAt: z.iso.datetime(),
    createdBy: z.string().describe('Who created it, as the audit log names callers (`key:<id>`, `entra:<object id>`, `local-admin`).'),
    rotatedAt: z.iso.datetime().optional(),
    previousExpiresAt: z.iso.datetime().optional().describe('After a rotation with an overlap: when the replaced secret stops working.'),
    lastUsedAt: z.iso.datetime().optional().describe('Updated at most once a minute.'),
    revokedAt: z.iso.datetime().optional().describe('Revoked keys are kept, for the record, and work no more.'),
  })
  .meta({ id: 'ApiKey', description: 'A tenant API key for machine callers, without its secret.' });
export type ApiKeyView = z.infer<typeof apiKeyView>;

/** Create and rotate answer once with the key itself. */
export const createdApiKey = apiKeyView
  .extend({ key: z.string().describe('Send as `Authorization: Bearer <key>`. Shown in this answer only: the store keeps a hash.') })
  .meta({ id: 'CreatedApiKey', description: 'A tenant API key with its secret, as create and rotate answer once.' });
export type CreatedApiKey = z.infer<typeof createdApiKey>;

export const apiKeyKind = 'api_key';
/** This kind, and the older spelling keys stored before kinds were spelt in snake_case still carry: reads accept both. */
export const apiKeyKinds = [apiKeyKind, 'apiKey'] as const;

/** A tenant API key as stored in `tenants` (the tenant's partition): the secret only as a hash. */
export interface ApiKey {
  id: string;
  tenantId: string;
  kind: (typeof apiKeyKinds)[number];
  keyId: string;
  name: string;
  role: Role;
  /** SHA-256 (hex) of the current secret. */
  hash: string;
  /** The secret a rotation replaced, working until `expiresAt`. */
  previous?: { hash: string; expiresAt: string };
  expiresAt?: string;
  createdAt: string;
  createdBy: string;
  rotatedAt?: string;
  /** Updated at most once a minute. */
  lastUsedAt?: string;
  revokedAt?: string;
}
