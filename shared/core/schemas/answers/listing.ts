import { z } from 'zod';
import { listCount } from './listCount.js';

/** One page of a list: its items, and the token of the next page while there is one. */
export const listingOf = (item: z.ZodType) =>
  z.object({
    items: z.array(item),
    continuationToken: z.string().optional().describe('Pass as `continuationToken` to read the next page; absent on the last page'),
  });

/** A list that also answers `?count=true`: a page, or how many items match. */
export const listingOrCountOf = (item: z.ZodType) => z.union([listingOf(item), listCount]);
