import { z } from 'zod';

/**
 * What a connection test found. `unauthorized`/`forbidden`: the provider refused the credentials
 * (401) or what they may do (403); `credentials_missing`: none are stored for the connection;
 * `unreachable`: no connection was made (refused, no such host, reset); `tls_error`: the TLS
 * handshake or certificate failed; `refused_destination`: the outbound guard refused the
 * address (internal); `timeout`: no answer in time; `provider_error`: the provider answered, but
 * not as a working store does (5xx, 429, 404 — no API at that URL —, a body that is no answer).
 */
export const connectionTestOutcome = z.enum([
  'ok',
  'unauthorized',
  'forbidden',
  'credentials_missing',
  'unreachable',
  'tls_error',
  'refused_destination',
  'timeout',
  'provider_error',
]);
export type ConnectionTestOutcome = z.infer<typeof connectionTestOutcome>;

/** The answer of `POST …/connections/{id}/test`, and `connectionTest` of a save that changed credentials or settings. */
export const connectionTestResult = z
  .strictObject({
    ok: z.boolean().describe('true only when the provider answered and accepted the credentials'),
    outcome: connectionTestOutcome,
    checkedAt: z.iso.datetime().describe('when the provider call was made (UTC)'),
    durationMs: z.number().int().min(0).describe('how long the provider call took'),
    status: z.number().int().optional().describe("the provider's HTTP status, when it answered"),
    code: z.string().optional().describe("the provider's own error code, or a network error code"),
    message: z.string().optional().describe('what went wrong, credentials redacted'),
  })
  .meta({
    id: 'ConnectionTestResult',
    examples: [
      {
        ok: false,
        outcome: 'unauthorized',
        checkedAt: '2026-05-01T10:15:00.000Z',
        durationMs: 84,
        status: 401,
        code: 'rest_authentication_error',
        message: 'GET /customers failed with 401 rest_authentication_error: Invalid signature - provided signature does not match.',
      },
    ],
  });
export type ConnectionTestResult = z.infer<typeof connectionTestResult>;
