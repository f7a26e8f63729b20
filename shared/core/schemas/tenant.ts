import { z } from 'zod';

export const tenantInput = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  settings: z
    .strictObject({
      alertUrl: z.url().optional(),
      webhooksEnabled: z.boolean().default(true),
    })
    .default({ webhooksEnabled: true }),
});
export type TenantInput = z.infer<typeof tenantInput>;

export interface Tenant {
  id: string;
  tenantId: string;
  name: string;
  settings: TenantInput['settings'];
  createdAt: string;
  updatedAt: string;
}
