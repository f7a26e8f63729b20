import { z } from 'zod';
import { webhookHmacVerifier } from '../../core/schemas/connection.js';
import { fieldPath } from '../../core/schemas/fieldPath.js';
import { regexSource } from './regexSource.js';

/** How the provider signs its deliveries and what a delivery says: the stream (from the topic), the record's id, whether it was deleted, and maybe the whole record. */
export const webhookSpec = z
  .strictObject({
    verifier: webhookHmacVerifier.describe('The signature check every delivery must pass.'),
    topicPath: fieldPath.optional().describe("Where the body names the event when the verifier's `topicHeader` does not, e.g. `event`; default `topic` or `type`."),
    streams: z
      .record(z.string().max(200), z.string().regex(/^[a-z][a-z0-9_]{0,62}$/))
      .optional()
      .describe('Topic → stream, e.g. `{"contact.updated": "contacts"}`; absent: the topic\'s first word in the plural (`contact.updated` → `contacts`).'),
    idPath: fieldPath.default('id').describe("Where the body holds the record's id."),
    deletedTopics: regexSource
      .optional()
      .describe('Regular expression over the topic marking deletes, e.g. `\\.deleted$`: the run it starts tombstones the record once the API confirms it is gone.'),
    recordPath: z
      .union([z.literal('$'), fieldPath])
      .optional()
      .describe('Where a delivery carries the whole record as a list read returns it (`$`: the body is the record): the run uses it without fetching. Absent: each changed record is fetched by id.'),
  })
  .meta({ id: 'ConnectorWebhooks' });
export type WebhookSpec = z.output<typeof webhookSpec>;
