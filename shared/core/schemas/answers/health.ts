import { z } from 'zod';

/** The answer of `GET /api/health`: whether the app and its store are up, nothing else. */
export const health = z
  .object({
    status: z.enum(['ok', 'unavailable']).describe('`unavailable` (with status 503) when a check fails.'),
    checks: z.object({ store: z.enum(['ok', 'failing']).describe('A real read from the document store.') }),
    time: z.iso.datetime().describe("The app's clock (UTC)."),
  })
  .meta({ id: 'Health', description: 'Liveness plus a store round trip.' });
export type Health = z.infer<typeof health>;
