import { z } from 'zod';

export const tenantLimits = z.strictObject({
  maxConcurrentExecutions: z.number().int().min(1).max(100).default(5).describe('Executions of this tenant running at once; more wait, `queued`.'),
  startRequestsPerMinute: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(10)
    .describe('Requests per minute on the routes that start executions; more are answered 429 with `Retry-After`.'),
});

/** How long finished work is kept before the hourly cleanup removes it. */
export const tenantRetention = z.strictObject({
  executionsDays: z.number().int().min(1).max(3650).default(30).describe('Days a finished execution (with its markers) is kept.'),
  failuresDays: z.number().int().min(1).max(3650).default(30).describe('Days a failure is kept.'),
  activityDays: z.number().int().min(1).max(3650).default(90).describe('Days an audit-log entry is kept.'),
  idempotencyKeysDays: z.number().int().min(1).max(365).default(7).describe('Days a start request\'s `idempotencyKey` keeps answering with the same execution.'),
});

export const tenantAlerts = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).describe('Where notifications are POSTed: execution failed or partial, paused for auth, circuit open.'),
  format: z
    .enum(['json', 'slack'])
    .default('json')
    .describe('`json`: our payload, HMAC-SHA256 signed with `alertSigningSecret`; `slack`: a Slack-compatible `{text, blocks}` payload.'),
  executionFinished: z
    .boolean()
    .optional()
    .describe('On: also an `execution.finished` notification when any execution ends, whatever its status, with its counts. Absent or off: failures only.'),
});

const tenantSettingsInput = z.strictObject({
  alerts: tenantAlerts.optional().describe('Absent: no alerts.'),
  alertSigningSecret: z
    .string()
    .min(16)
    .max(512)
    .optional()
    .describe('Write-only: the HMAC key alerts are signed with; stored in Secrets, never returned (reads show `hasAlertSigningSecret`). Absent: the stored one is kept.'),
  webhooksEnabled: z.boolean().default(true).describe("Off: every provider webhook of the tenant is answered 401, whatever its connection's setting."),
  limits: tenantLimits.default(tenantLimits.parse({})),
  retention: tenantRetention.default(tenantRetention.parse({})),
});

export const tenantInput = z
  .strictObject({
    name: z.string().min(1).max(200).optional().describe('Absent: the stored name is kept (the tenant id on creation).'),
    settings: tenantSettingsInput
      .default({ webhooksEnabled: true, limits: tenantLimits.parse({}), retention: tenantRetention.parse({}) })
      .describe('Replaced as a whole: a part left out goes back to its default (`alerts` to none).'),
  })
  .meta({ id: 'TenantInput', description: 'A tenant as PUT sets it.' });
export type TenantInput = z.infer<typeof tenantInput>;

/** A tenant as stored and as the API answers with it. */
export const tenantView = z
  .object({
    id: z.string().describe('The tenant id, as in the path.'),
    tenantId: z.string(),
    name: z.string(),
    settings: tenantSettingsInput.omit({ alertSigningSecret: true }).extend({
      hasAlertSigningSecret: z.boolean().optional().describe('An alert signing secret is stored (it is never shown).'),
    }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Tenant', description: 'A tenant: a customer organisation; its id partitions all its data.' });
export type Tenant = z.infer<typeof tenantView>;
