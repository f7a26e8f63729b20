import { z } from 'zod';

/** How a connection's provider is doing, as every worker sharing the store sees it. */
export const providerStateView = z
  .object({
    circuit: z.object({
      state: z.enum(['closed', 'open', 'half_open']).describe('`open`: calls are refused until `retryAt`; `half_open`: one probe call is let through.'),
      consecutiveFailures: z.number().int().min(0),
      openedAt: z.iso.datetime().optional().describe('While not closed: when the circuit opened.'),
      retryAt: z.iso.datetime().optional().describe('While not closed: when a probe call is let through.'),
    }),
    rateLimit: z.object({
      tokens: z.number().int().min(0).optional().describe("Calls that may go now; only when the connection's calls are rate-limited (`protection.requestsPerMinute`)."),
      blockedUntil: z.iso.datetime().optional().describe("No calls before this instant (the provider's `Retry-After`, its rate-limit headers saying nothing is left until then, or its spent quota's reset)."),
      providerRemaining: z.number().int().min(0).optional().describe("Calls left as the provider's rate-limit headers last reported (`X-RateLimit-Remaining`, `RateLimit`, …); absent when it sends none."),
      providerResetAt: z.iso.datetime().optional().describe('When the provider said that budget comes back, if it said.'),
    }),
  })
  .meta({ id: 'ProviderState', description: "The connection's circuit breaker and rate limit, shared by every worker and execution." });
export type ProviderStateView = z.infer<typeof providerStateView>;
