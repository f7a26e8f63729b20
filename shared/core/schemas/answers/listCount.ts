import { z } from 'zod';

/** The answer of a list asked `?count=true`: how many items its filters match, without the items. */
export const listCount = z
  .strictObject({
    count: z.number().int().min(0).describe('How many items the filters match (every page together).'),
  })
  .meta({ id: 'ListCount', description: 'The answer of a list asked `count=true`' });
export type ListCount = z.infer<typeof listCount>;
