import { z } from 'zod';
import { resourceId } from './resourceId.js';

export const providerName = z.enum(['woocommerce']);
export type ProviderName = z.infer<typeof providerName>;

/** Provider-specific settings and credentials are validated by the provider's connector. */
export const connectionInput = z.strictObject({
  id: resourceId.optional(),
  provider: providerName,
  name: z.string().min(1).max(200).optional(),
  settings: z.record(z.string(), z.unknown()).default({}),
  /** Write-only: stored in Secrets, never returned. Required on creation. */
  credentials: z.record(z.string(), z.unknown()).optional(),
});
export type ConnectionInput = z.infer<typeof connectionInput>;

export interface Connection {
  id: string;
  tenantId: string;
  provider: ProviderName;
  name: string;
  settings: Record<string, unknown>;
  /** Name of the secret holding the credentials. */
  secretRef: string;
  createdAt: string;
  updatedAt: string;
}
