import { throttleExceeded, type QuickBooksFault } from './fakeQuickBooksFaults.js';

export interface FakeQuickBooksRateLimitOptions {
  /** Requests per rolling minute per company; Intuit's is 500. */
  perMinute?: number;
  /** Requests in flight at once per app and company; Intuit's is 10. */
  concurrent?: number;
}

/**
 * Intuit's throttles, per company: a rolling minute and a ceiling on requests in flight
 * (blogs.intuit.com, 2016-08-08, "QuickBooks Online API throttling changes"). Refused requests
 * use none of the allowance.
 */
export class QuickBooksRateLimiter {
  private readonly perMinute: number;
  private readonly concurrent: number;
  private readonly admitted = new Map<string, number[]>();
  private readonly inFlight = new Map<string, number>();

  constructor(options: FakeQuickBooksRateLimitOptions = {}) {
    this.perMinute = options.perMinute ?? 500;
    this.concurrent = options.concurrent ?? 10;
  }

  /** Admits a request, or answers the 429; an admitted request must call the returned release. */
  take(realmId: string, nowMs: number): { refusal: QuickBooksFault } | { release: () => void } {
    const window = (this.admitted.get(realmId) ?? []).filter((at) => at > nowMs - 60_000);
    this.admitted.set(realmId, window);
    const running = this.inFlight.get(realmId) ?? 0;
    if (running >= this.concurrent) return { refusal: throttleExceeded(`Too many concurrent requests: at most ${this.concurrent} per company.`) };
    if (window.length >= this.perMinute) return { refusal: throttleExceeded(`The request limit was reached: at most ${this.perMinute} requests per minute per company.`) };
    window.push(nowMs);
    this.inFlight.set(realmId, running + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inFlight.set(realmId, (this.inFlight.get(realmId) ?? 1) - 1);
      },
    };
  }
}
