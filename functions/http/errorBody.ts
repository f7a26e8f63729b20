import { z } from 'zod';

/** Every error the API answers has this one shape; `code` says what went wrong, `issues` where. */
export const errorBody = z
  .object({
    error: z.object({
      code: z.enum([
        'bad_request',
        'unauthenticated',
        'forbidden',
        'not_found',
        'conflict',
        'invalid_state',
        'payload_too_large',
        'validation_failed',
        'rate_limited',
        'invalid_signature',
        'request_failed',
        'unavailable',
        'internal',
      ]),
      message: z.string(),
      /** Each problem with its path: `query.since`, `data.email`, `streams.0.schemaId`, `path.tenantId`. */
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      /** 404: the kind of resource and the id that does not exist. */
      resource: z.string().optional(),
      id: z.string().optional(),
      /** 409 `invalid_state`: the state that does not allow the action (e.g. `{ "status": "running" }`). */
      current: z.unknown().optional(),
      /** 413: the route's body limit. */
      limitBytes: z.number().int().optional(),
      /** 429: when to try again (also in `Retry-After`). */
      retryAfterSeconds: z.number().int().optional(),
    }),
  })
  .meta({
    id: 'Error',
    examples: [{ error: { code: 'validation_failed', message: 'the request is not valid', issues: [{ path: 'settings.baseUrl', message: 'must be an absolute http(s) URL' }] } }],
  });
