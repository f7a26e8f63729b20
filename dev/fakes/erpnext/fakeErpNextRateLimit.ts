import { tooManyRequests, type FrappeException } from './fakeErpNextErrors.js';

export interface FakeErpNextRateLimitOptions {
  /** Requests per window; Frappe's rate limiter is off unless a site configures one. */
  limit: number;
  windowSeconds: number;
}

/**
 * Frappe's optional per-site limiter (frappe/rate_limiter.py): a fixed window, every answer
 * carrying `X-RateLimit-Limit/-Remaining/-Reset/-Used`, and 429 with `Retry-After` past the limit.
 */
export class ErpNextRateLimiter {
  private windowStart = 0;
  private used = 0;

  constructor(private readonly options: FakeErpNextRateLimitOptions | undefined) {}

  /** The headers to send, or the 429 to answer. */
  take(nowMs: number): { headers: Record<string, string> } | { refusal: FrappeException } {
    if (!this.options) return { headers: {} };
    const windowMs = this.options.windowSeconds * 1000;
    if (nowMs - this.windowStart >= windowMs) {
      this.windowStart = nowMs;
      this.used = 0;
    }
    const reset = Math.max(1, Math.ceil((this.windowStart + windowMs - nowMs) / 1000));
    const headers = (used: number) => ({
      'x-ratelimit-limit': String(this.options!.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.options!.limit - used)),
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-used': String(used),
    });
    if (this.used >= this.options.limit) return { refusal: tooManyRequests(reset, headers(this.used)) };
    this.used += 1;
    return { headers: headers(this.used) };
  }
}
