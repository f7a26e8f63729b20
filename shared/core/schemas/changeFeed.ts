import { z } from 'zod';
import { SHARD_CHANGE_KINDS } from '../changes/shardChange.js';

export const changeFeedEntry = z
  .object({
    cursor: z.string().describe('Opaque: reading from it resumes after this entry.'),
    kind: z.enum(SHARD_CHANGE_KINDS).describe('`deleted` is a tombstone (or a derived shard removed); `merged`: `absorbedShardId` went into `shardId`; `unmerged`: `shardId` was split off `splitFromShardId`.'),
    shardId: z.string(),
    shardType: z.string(),
    at: z.string().describe('When the change was recorded (ISO 8601).'),
    version: z.number().int().optional().describe("The shard's version after the change; absent for a shard removed outright."),
    absorbedShardId: z.string().optional(),
    splitFromShardId: z.string().optional(),
  })
  .meta({ id: 'ChangeFeedEntry', description: 'One change of a shard.' });
export type ChangeFeedEntry = z.infer<typeof changeFeedEntry>;

export const changeFeedPage = z
  .object({
    items: z.array(changeFeedEntry).describe('Oldest first.'),
    cursor: z.string().describe('Resumes after the last item; the cursor asked with when the page is empty.'),
  })
  .meta({ id: 'ChangeFeedPage', description: 'A page of the change feed.' });
export type ChangeFeedPage = z.infer<typeof changeFeedPage>;
