import { HubSpotError } from './fakeHubSpotHttp.js';

export interface FakeHubSpotRateLimitOptions {
  /** Requests per rolling interval (`X-HubSpot-RateLimit-Max`); default 190, a Professional private app's. */
  max?: number;
  /** The rolling interval; default 10,000 ms, HubSpot's ten-secondly policy. */
  intervalMs?: number;
  /** Requests per day (`X-HubSpot-RateLimit-Daily`); default 1,000,000. */
  daily?: number;
  /** Searches per second across the portal (HubSpot: five); default unlimited, so tests page quickly. */
  searchesPerSecond?: number;
}

export interface FakeHubSpotRateDecision {
  refusal?: HubSpotError;
  headers: Record<string, string>;
}

/**
 * HubSpot's limits: a rolling window (every answer carries its headers), a daily cap, and a
 * per-second limit on searches. Refused requests use none of the allowance, so a client that
 * waits out the interval always gets through.
 *
 * The 429 bodies are HubSpot's documented ones (developers.hubspot.com usage guidelines). The
 * official client (RetryDecorator) retries a 429 whose `policyName` is TEN_SECONDLY_ROLLING (after
 * 10 s) or whose message is "You have reached your secondly limit." (after 1 s), and nothing else:
 * so the daily 429 is not retried.
 */
export class FakeHubSpotRateLimiter {
  private readonly max: number;
  private readonly intervalMs: number;
  private readonly daily: number;
  private readonly admitted: number[] = [];
  private readonly searches: number[] = [];
  private usedToday = 0;
  private day = '';

  constructor(private readonly options: FakeHubSpotRateLimitOptions = {}) {
    this.max = options.max ?? 190;
    this.intervalMs = options.intervalMs ?? 10_000;
    this.daily = options.daily ?? 1_000_000;
  }

  take(isSearch: boolean, nowMs: number = Date.now()): FakeHubSpotRateDecision {
    this.rollOver(nowMs);
    const refusal = this.refusal(isSearch, nowMs);
    if (refusal === undefined) {
      this.admitted.push(nowMs);
      if (isSearch) this.searches.push(nowMs);
      this.usedToday += 1;
    }
    const headers = {
      'X-HubSpot-RateLimit-Max': String(this.max),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, this.max - this.admitted.length)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(this.intervalMs),
      'X-HubSpot-RateLimit-Daily': String(this.daily),
      'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, this.daily - this.usedToday)),
    };
    return refusal === undefined ? { headers } : { refusal, headers };
  }

  private refusal(isSearch: boolean, nowMs: number): HubSpotError | undefined {
    if (this.usedToday >= this.daily) return rateLimited('You have reached your daily limit.', { policyName: 'DAILY' });
    if (this.admitted.length >= this.max) return rateLimited('You have reached your ten_secondly_rolling limit.', { policyName: 'TEN_SECONDLY_ROLLING' });
    const perSecond = this.options.searchesPerSecond;
    if (isSearch && perSecond !== undefined && this.searches.filter((at) => at > nowMs - 1000).length >= perSecond) {
      // The search limit's body names no policy: the client recognises it by this message.
      return rateLimited('You have reached your secondly limit.', {});
    }
    return undefined;
  }

  /** Drops what has left the rolling window; the daily count restarts at midnight (UTC here). */
  private rollOver(nowMs: number): void {
    while (this.admitted.length > 0 && (this.admitted[0] as number) <= nowMs - this.intervalMs) this.admitted.shift();
    while (this.searches.length > 0 && (this.searches[0] as number) <= nowMs - 1000) this.searches.shift();
    const day = new Date(nowMs).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.usedToday = 0;
    }
  }
}

function rateLimited(message: string, extra: Record<string, unknown>): HubSpotError {
  return new HubSpotError(429, message, undefined, { errorType: 'RATE_LIMIT', ...extra });
}
