import { z } from 'zod';

export const tenantLimits = z.strictObject({
  /** Executions of this tenant running at once; more wait, queued. */
  maxConcurrentExecutions: z.number().int().min(1).max(100).default(5),
  /** Requests per minute on execution-starting endpoints; more are answered 429 with Retry-After. */
  startRequestsPerMinute: z.number().int().min(1).max(10_000).default(10),
});

/** How long finished work is kept before the hourly cleanup removes it. */
export const tenantRetention = z.strictObject({
  executionsDays: z.number().int().min(1).max(3650).default(30),
  failuresDays: z.number().int().min(1).max(3650).default(30),
  activityDays: z.number().int().min(1).max(3650).default(90),
  idempotencyKeysDays: z.number().int().min(1).max(365).default(7),
});

export const tenantAlerts = z.strictObject({
  /** Where notifications are POSTed (execution failed or partial, paused for auth, circuit open). */
  url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
  /** `json`: our payload, HMAC-SHA256 signed; `slack`: a Slack-compatible `{text, blocks}` payload. */
  format: z.enum(['json', 'slack']).default('json'),
});

export const tenantInput = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  settings: z
    .strictObject({
      alerts: tenantAlerts.optional(),
      /** Write-only: the HMAC key alerts are signed with; stored in Secrets, never returned. */
      alertSigningSecret: z.string().min(16).max(512).optional(),
      webhooksEnabled: z.boolean().default(true),
      limits: tenantLimits.default(tenantLimits.parse({})),
      retention: tenantRetention.default(tenantRetention.parse({})),
    })
    .default({ webhooksEnabled: true, limits: tenantLimits.parse({}), retention: tenantRetention.parse({}) }),
});
export type TenantInput = z.infer<typeof tenantInput>;

export interface Tenant {
  id: string;
  tenantId: string;
  name: string;
  settings: Omit<TenantInput['settings'], 'alertSigningSecret'> & { hasAlertSigningSecret?: boolean };
  createdAt: string;
  updatedAt: string;
}
