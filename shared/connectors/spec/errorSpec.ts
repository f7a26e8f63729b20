import { z } from 'zod';
import { fieldPath } from '../../core/schemas/fieldPath.js';
import { regexSource } from './regexSource.js';

/** What a provider's failure means to the engine. */
export const errorKind = z
  .enum(['recoverable', 'rateLimit', 'auth', 'quota', 'validation', 'conflict', 'notFound', 'stateExpired', 'fatal'])
  .describe(
    '`recoverable`: retried later; `rateLimit`: retried after Retry-After; `auth`: pauses runs until new credentials; `quota`: pauses the run until the quota resets; `validation`: the record was refused (writes); `conflict`: the record changed since it was read (writes); `notFound`: the record is gone (writes); `stateExpired`: the incremental state is too old, so the stream is read in full; `fatal`: fails the page.',
  );
export type ErrorKind = z.infer<typeof errorKind>;

const statuses = z.array(z.number().int().min(100).max(599)).min(1).max(50);

export const errorRule = z.strictObject({
  status: statuses.optional().describe('Statuses the rule applies to; absent: any non-2xx.'),
  code: regexSource
    .optional()
    .describe("Regular expression over the provider's error code (from `codePath`); absent: any code."),
  message: regexSource
    .optional()
    .describe("Regular expression over the provider's error message (from `messagePath`), for errors told apart only by their text (HubSpot's daily-limit 429); absent: any message."),
  on: z.enum(['read', 'write', 'any']).default('any').describe('Whether the rule applies to reads, writes (and the reads a write makes), or both.'),
  kind: errorKind,
});
export type ErrorRule = z.output<typeof errorRule>;

/**
 * How the provider's error bodies read, and rules that say what a status plus code means. The
 * first matching rule wins; without one, the usual meanings apply: 401/403 auth, 429 rateLimit,
 * 408 and 5xx recoverable; on writes 404 notFound, 409/412 conflict, 400/422 validation; any
 * other status fails the page.
 */
export const errorSpec = z
  .strictObject({
    codePath: fieldPath.optional().describe('Where the error body names its code, e.g. `error.code`.'),
    messagePath: fieldPath.optional().describe('Where the error body says what went wrong, e.g. `error.message`.'),
    fieldErrorsPath: fieldPath
      .optional()
      .describe('Where a refused write names its fields: an object of messages by field, or a list of missing field names.'),
    faultPath: fieldPath
      .optional()
      .describe('Where a successful (2xx) body can still carry an error, e.g. `Fault` (QuickBooks): present, the answer is read as a 400 with that body.'),
    jsonInStrings: z
      .boolean()
      .optional()
      .describe("The paths step into text that holds JSON, parsing it as they go (Frappe's `_server_messages` is a JSON list of JSON objects, sent as text)."),
    rules: z.array(errorRule).max(50).default([]),
  })
  .meta({ id: 'ConnectorErrors' });
export type ErrorSpec = z.output<typeof errorSpec>;
