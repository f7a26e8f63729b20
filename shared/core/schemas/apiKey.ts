import { z } from 'zod';
import { role, type Role } from '../access/roles.js';

export const apiKeyInput = z.strictObject({
  /** What the key is for, e.g. `nightly export`; shown in listings. */
  name: z.string().trim().min(1).max(200),
  role,
  /** When the key stops working (ISO 8601 with offset); absent = until revoked. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

export const apiKeyRotation = z.strictObject({
  /** How long the replaced secret keeps working, so callers can switch over (0 = not at all). */
  overlapSeconds: z.number().int().min(0).max(30 * 24 * 3600).default(24 * 3600),
});

/** A tenant API key as stored in `tenants` (the tenant's partition): the secret only as a hash. */
export interface ApiKey {
  id: string;
  tenantId: string;
  kind: 'apiKey';
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
