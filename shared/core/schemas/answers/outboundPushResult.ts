import { z } from 'zod';

/** The answer of `POST …/tasks/{id}/push`: the write-backs it queued. */
export const outboundPushResult = z
  .object({
    creates: z.number().int().min(0).describe('Shards with no record at the provider yet: created there.'),
    updates: z.number().int().min(0).describe('Shards with a record there: updated.'),
  })
  .meta({ id: 'OutboundPushResult', description: 'What a push of an outbound task queued.' });
export type OutboundPushResult = z.infer<typeof outboundPushResult>;
