import { z } from 'zod';
import { resourceId } from './resourceId.js';

export const providerName = z.enum(['woocommerce']);
export type ProviderName = z.infer<typeof providerName>;

/** How hard the engine may press this provider, shared by every worker and execution. */
export const connectionProtection = z.strictObject({
  /** Requests per minute to this provider instance; unlimited when absent (the provider's 429s still apply). */
  requestsPerMinute: z.number().int().min(1).max(100_000).optional(),
  circuit: z
    .strictObject({
      /** Consecutive failures that open the circuit. */
      failureThreshold: z.number().int().min(1).max(100).default(5),
      /** How long an open circuit refuses calls before letting one probe through. */
      coolDownMs: z.number().int().min(100).max(3_600_000).default(30_000),
    })
    .optional(),
});
export type ConnectionProtection = z.infer<typeof connectionProtection>;

/** Provider-specific settings and credentials are validated by the provider's connector. */
export const connectionInput = z.strictObject({
  id: resourceId.optional(),
  provider: providerName,
  name: z.string().min(1).max(200).optional(),
  settings: z.record(z.string(), z.unknown()).default({}),
  /** Write-only: stored in Secrets, never returned. Required on creation. */
  credentials: z.record(z.string(), z.unknown()).optional(),
  protection: connectionProtection.optional(),
});
export type ConnectionInput = z.infer<typeof connectionInput>;

export interface Connection {
  id: string;
  tenantId: string;
  provider: ProviderName;
  name: string;
  settings: Record<string, unknown>;
  protection?: ConnectionProtection;
  /** Name of the secret holding the credentials. */
  secretRef: string;
  createdAt: string;
  updatedAt: string;
}
