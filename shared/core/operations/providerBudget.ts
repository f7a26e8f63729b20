/** What a provider reported is left of its call budget, and when the budget comes back (if it said). */
export interface ProviderBudget {
  remaining: number;
  /** ISO instant. */
  resetAt?: string;
}

/** The budget as the shared guard document keeps it. */
export interface ObservedBudget {
  remaining: number;
  resetAtMs?: number;
  observedAtMs: number;
}

/**
 * Folds a newly reported budget into the kept one, monotone in time: a report of an earlier
 * window (calls that ran alongside and answered late) never replaces a later one, and within one
 * window the budget only goes down. Folding the same report again changes nothing.
 */
export function observeBudget(kept: ObservedBudget | undefined, reported: ProviderBudget, nowMs: number): ObservedBudget {
  const resetAtMs = reported.resetAt === undefined ? undefined : Date.parse(reported.resetAt);
  const next: ObservedBudget = { remaining: reported.remaining, observedAtMs: nowMs, ...(resetAtMs === undefined ? {} : { resetAtMs }) };
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
