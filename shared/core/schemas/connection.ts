import { z } from 'zod';
import { resourceId } from './resourceId.js';
import { connectionTestResult } from './answers/connectionTest.js';
import { providerStateView } from './answers/providerState.js';

/** How hard the engine may press this provider, shared by every worker and execution. */
export const connectionProtection = z.strictObject({
  requestsPerMinute: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe("Requests per minute to this provider instance, shared by every worker. Absent: the provider's own default where it has one (QuickBooks 450, Notion 150), else unlimited (the provider's 429s still apply)."),
  circuit: z
    .strictObject({
      failureThreshold: z.number().int().min(1).max(100).default(5).describe('Consecutive failures that open the circuit.'),
      coolDownMs: z.number().int().min(100).max(3_600_000).default(30_000).describe('Milliseconds an open circuit refuses calls before letting one probe through.'),
    })
    .optional()
    .describe('Absent: 5 consecutive failures open the circuit for 30 s.'),
});
export type ConnectionProtection = z.infer<typeof connectionProtection>;

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'must be an HTTP header name');

/**
 * A provider-neutral HMAC check: Shopify (`X-Shopify-Hmac-Sha256`, base64), GitHub
 * (`X-Hub-Signature-256`, `sha256=` + hex), or a signed timestamp (`timestamp.body`, with a
 * tolerance that bounds replays), as our own alerts are signed.
 */
export const webhookHmacVerifier = z
  .strictObject({
    kind: z.literal('hmac'),
    /** Header carrying the signature. */
    header: headerName,
    algorithm: z.enum(['sha256', 'sha1', 'sha512']),
    encoding: z.enum(['hex', 'base64']),
    /** Text before the signature in the header, e.g. `sha256=`. */
    prefix: z.string().min(1).max(40).optional(),
    timestampHeader: headerName.optional(),
    /** How far (seconds, either way) the timestamp may be from now; default 300. */
    toleranceSeconds: z.number().int().min(1).max(86_400).optional(),
    /**
     * What is signed: the raw body, `${timestamp}.${raw body}`, or the request method, full URL,
     * raw body and timestamp run together (HubSpot's v3).
     */
    signedPayload: z.enum(['body', 'timestamp.body', 'method.url.body.timestamp']).default('body'),
    /** The signed timestamp's unit: seconds (default) or milliseconds (HubSpot). */
    timestampUnit: z.enum(['s', 'ms']).optional(),
    /**
     * `hmac` (default): HMAC under the secret. `secretPrefixedHash`: a plain hash of the secret
     * followed by the payload (HubSpot's v1, for CRM subscriptions); weaker, offered for what sends only that.
     * `sharedSecret`: the header carries the secret itself (after `prefix`), for providers that sign
     * nothing and send a configured header (Supabase database webhooks); `algorithm` and `encoding`
     * are then unused, and only TLS keeps the secret from onlookers.
     */
    construction: z.enum(['hmac', 'secretPrefixedHash', 'sharedSecret']).optional(),
    /** Header with the provider's delivery id, for reference only: it is not signed, so replays are recognised by what is. */
    deliveryIdHeader: headerName.optional(),
    /** Header naming the event, e.g. `customers/update`; else the body's `topic` or `type`. */
    topicHeader: headerName.optional(),
  })
  .refine((verifier) => verifier.signedPayload === 'body' || verifier.timestampHeader !== undefined, {
    message: 'a signed timestamp needs timestampHeader',
    path: ['timestampHeader'],
  });
export type WebhookHmacVerifier = z.infer<typeof webhookHmacVerifier>;

/**
 * A provider's own signing scheme, by the provider's name, or a generic HMAC check. Core names no
 * provider: a save narrows the name to the registered providers (shared/connectors/).
 */
export const webhookVerifier = z.union([z.string(), webhookHmacVerifier]);
export type WebhookVerifier = z.infer<typeof webhookVerifier>;

/** Provider webhooks (POST /api/webhooks/{tenantId}/{connectionId}). */
export const connectionWebhooks = z.strictObject({
  enabled: z.boolean().default(true).describe("Off: this connection's deliveries are answered 401."),
  verifier: webhookVerifier
    .optional()
    .describe("How deliveries are authenticated. Absent: the provider's own scheme."),
  // At most 5 minutes, well inside the queues' 10-minute duplicate detection, which is what keeps
  // one flush message per window.
  coalesceWindowMs: z
    .number()
    .int()
    .min(0)
    .max(300_000)
    .default(1000)
    .describe('Milliseconds after a first delivery within which deliveries become one incremental run; 0 = one run per delivery.'),
  /** Larger bodies are refused (413) once their signature holds, so a size probe tells anonymous callers nothing. */
  maxBodyBytes: z.number().int().min(1024).max(10 * 1024 * 1024).default(1024 * 1024).describe('Largest delivery body; a larger signed one is a 413.'),
});
export type ConnectionWebhooks = z.infer<typeof connectionWebhooks>;

/**
 * Provider-specific settings and credentials are validated by the provider's connector; `provider`
 * is narrowed to the registered providers by the registry (shared/connectors/).
 */
export const connectionInput = z.strictObject({
  id: resourceId.optional().describe('POST only: the id to create or update; absent, the server picks one (`con_…`).'),
  provider: z.string().describe('Cannot change once the connection exists.'),
  name: z.string().min(1).max(200).optional().describe('Absent: the stored name is kept (the id on creation).'),
  settings: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("The provider's settings, validated by its connector; replaced as a whole on every save."),
  credentials: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Write-only: stored in Secrets, never returned. Required on creation; absent on an update, the stored ones are kept.'),
  protection: connectionProtection.optional().describe('Absent on an update: the stored protection is kept; sent, it replaces it.'),
  webhooks: connectionWebhooks.optional().describe('Absent on an update: the stored webhook settings are kept; sent, they replace them.'),
  webhookSecret: z
    .string()
    .min(8)
    .max(1024)
    .optional()
    .describe('Write-only: the key the provider signs webhooks with; stored in Secrets, never returned. Absent: the stored one is kept.'),
});
export type ConnectionInput = z.infer<typeof connectionInput>;

/**
 * A connection as the API answers with it: never the credentials or secret names, only whether
 * secrets are set. `settings` are the provider's (the documented form names them per provider).
 */
export const connectionView = z.object({
  id: z.string(),
  tenantId: z.string(),
  provider: z.string(),
  name: z.string(),
  settings: z.record(z.string(), z.unknown()).describe("The provider's settings as validated, defaults filled in."),
  protection: connectionProtection.optional(),
  webhooks: connectionWebhooks.optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  hasCredentials: z.literal(true).describe('Credentials are stored (they are never shown).'),
  hasWebhookSecret: z.boolean().describe('A webhook signing key is stored (it is never shown).'),
  providerState: providerStateView.optional().describe('Reads of one connection only.'),
  cursors: z
    .record(z.string(), z.string())
    .optional()
    .describe('Reads of one connection only: per stream, the ISO 8601 instant the next incremental read starts from (before the overlap).'),
  incrementalStates: z
    .record(
      z.string(),
      z.strictObject({
        state: z.unknown().describe("The connector's own JSON: a sync token, a change-feed position, a search anchor."),
        executionId: z.string().describe('The run that stored it.'),
        updatedAt: z.iso.datetime(),
      }),
    )
    .optional()
    .describe('Reads of one connection only: per stream whose connector keeps its own incremental state, where the next incremental read starts.'),
  connectionTest: connectionTestResult
    .optional()
    .describe('Answers of a save that created the connection or changed its credentials or settings: what testing them found (the save stands either way).'),
});
export type ConnectionView = z.infer<typeof connectionView>;

export interface Connection {
  id: string;
  tenantId: string;
  provider: string;
  name: string;
  settings: Record<string, unknown>;
  protection?: ConnectionProtection;
  webhooks?: ConnectionWebhooks;
  /** Name of the secret holding the credentials. */
  secretRef: string;
  /** Name of the secret holding the webhook signing key, once one was set. */
  webhookSecretRef?: string;
  /** The names these secrets had before secret names were injective, once migrated from them. */
  legacySecretRefs?: { credentials?: string; webhookSecret?: string };
  createdAt: string;
  updatedAt: string;
}
