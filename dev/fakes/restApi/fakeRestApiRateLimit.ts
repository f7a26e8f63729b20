export interface FakeRateLimitOptions {
  limit: number;
  windowMs: number;
}

export interface FakeRateLimitDecision {
  allowed: boolean;
  /** RateLimit-Limit/-Remaining/-Reset (draft-ietf-httpapi-ratelimit-headers; Reset in seconds), plus Retry-After when refused. */
  headers: Record<string, string>;
}

/** Large enough never to refuse a test, so that the headers are still there for clients that read them. */
export const unlimitedRateLimit: FakeRateLimitOptions = { limit: 1_000_000, windowMs: 60_000 };

/**
 * A fixed window shared by every caller: the first request after a window ends opens the next.
 * Every request counts, the refused ones included, as at most APIs.
 */
export class FakeRateLimiter {
  private windowStartMs = 0;
  private used = 0;

  constructor(private readonly options: FakeRateLimitOptions) {}

  take(nowMs: number = Date.now()): FakeRateLimitDecision {
    if (nowMs >= this.windowStartMs + this.options.windowMs) {
      this.windowStartMs = nowMs;
      this.used = 0;
    }
    this.used += 1;
    const allowed = this.used <= this.options.limit;
    // At least 1 s: a client told to wait 0 s would retry at once, into the same window.
    const resetSeconds = Math.max(1, Math.ceil((this.windowStartMs + this.options.windowMs - nowMs) / 1000));
    const headers: Record<string, string> = {
      'ratelimit-limit': String(this.options.limit),
      'ratelimit-remaining': String(Math.max(0, this.options.limit - this.used)),
      'ratelimit-reset': String(resetSeconds),
    };
    if (!allowed) headers['retry-after'] = String(resetSeconds);
    return { allowed, headers };
  }
}
