/** What a provider reported is left of its call budget, and when the budget comes back (if it said). */
export interface ProviderBudget {
  remaining: number;
  /** ISO instant. */
  resetAt?: string;
  /** A quota for a day (Salesforce's api-usage, HubSpot's daily allowance), not a short window: spent, it pauses runs. */
  daily?: boolean;
}

/** The budget as the shared guard document keeps it. */
export interface ObservedBudget {
  remaining: number;
  resetAtMs?: number;
  observedAtMs: number;
  daily?: boolean;
}

/**
 * Folds a newly reported budget into the kept one, monotone in time: a report of an earlier
 * window (calls that ran alongside and answered late) never replaces a later one, and within one
 * window the budget only goes down. Folding the same report again changes nothing.
 */
export function observeBudget(kept: ObservedBudget | undefined, reported: ProviderBudget, nowMs: number): ObservedBudget {
  const resetAtMs = reported.resetAt === undefined ? undefined : Date.parse(reported.resetAt);
  const next: ObservedBudget = { remaining: reported.remaining, observedAtMs: nowMs, ...(resetAtMs === undefined ? {} : { resetAtMs }), ...(reported.daily ? { daily: true } : {}) };
  if (!kept) return next;
  const keptWindow = kept.resetAtMs ?? kept.observedAtMs;
  const nextWindow = resetAtMs ?? nowMs;
  if (nextWindow < keptWindow) return kept;
  if (nextWindow === keptWindow) return { ...kept, remaining: Math.min(kept.remaining, reported.remaining) };
  return next;
}

/**
 * When the provider said nothing is left until a known instant, calls wait until then rather
 * than spend themselves on a 429. Undefined when calls may go: budget left, the reset has passed,
 * or no reset was given (the provider's own 429 and Retry-After then say how long).
 */
export function holdUntilMs(budget: ObservedBudget, nowMs: number): number | undefined {
  if (budget.remaining > 0 || budget.resetAtMs === undefined || budget.resetAtMs <= nowMs) return undefined;
  return budget.resetAtMs;
}

/**
 * Pure: whether a daily quota the provider reported spent, with no reset instant (Salesforce's
 * rolling 24 hours), still stands: runs stop before the provider refuses them, and one call goes
 * again after `recheckAfterMs` to learn whether calls have aged out of the window.
 */
export function dailyQuotaSpent(budget: ObservedBudget | undefined, nowMs: number, recheckAfterMs: number): boolean {
  return budget?.daily === true && budget.remaining <= 0 && budget.resetAtMs === undefined && nowMs - budget.observedAtMs < recheckAfterMs;
}
