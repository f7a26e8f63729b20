import { NotionError } from './fakeNotionHttp.js';

export interface FakeNotionRateLimitOptions {
  /** The average allowed, per integration (bearer token); Notion documents three per second. */
  perSecond?: number;
  /** How many may come at once after a quiet spell ("some bursts beyond the average rate are allowed"; the size is unverified). */
  burst?: number;
}

/**
 * A token bucket per integration: Notion's "average of three requests per second, some bursts
 * allowed" (developers.notion.com/reference/request-limits). A refused request spends nothing, and
 * its `Retry-After` is the whole seconds until a token is back, so a client that honours it gets
 * through. (Newer pages of the same reference describe a per-minute budget and a per-workspace
 * limit; this fake keeps the long-documented average.)
 */
export class FakeNotionRateLimiter {
  private readonly perSecond: number;
  private readonly burst: number;
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  private refusedCount = 0;

  constructor(options: FakeNotionRateLimitOptions = {}) {
    this.perSecond = options.perSecond ?? 3;
    this.burst = options.burst ?? 10;
    if (!(this.perSecond > 0) || !(this.burst >= 1)) throw new Error('fake Notion: rate limit needs perSecond > 0 and burst >= 1');
  }

  /** 429s sent so far. */
  get refused(): number {
    return this.refusedCount;
  }

  /** Takes a token for the integration or throws Notion's 429. */
  take(integration: string, nowMs: number = Date.now()): void {
    const bucket = this.buckets.get(integration) ?? { tokens: this.burst, atMs: nowMs };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((nowMs - bucket.atMs) / 1000) * this.perSecond);
    bucket.atMs = nowMs;
    this.buckets.set(integration, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    this.refusedCount += 1;
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
    throw new NotionError(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.', { 'retry-after': String(retryAfter) });
  }
}
