import { updateDocument } from '../documentUpdate.js';
import { ProviderUnavailableError } from '../../connectors/providerUnavailableError.js';
import { RateLimitError } from '../../connectors/rateLimitError.js';
import { QuotaExhaustedError } from '../../connectors/quotaExhaustedError.js';
import { dailyQuotaSpent, holdUntilMs, observeBudget, type ProviderBudget } from '../../core/operations/providerBudget.js';
import { QUOTA_RESUME_WITHOUT_RESET_MS } from '../../core/operations/quotaResume.js';
import {
  closedCircuit,
  decide,
  defaultCircuitConfig,
  recordFailure,
  recordSuccess,
  type CircuitConfig,
  type CircuitState,
} from '../../core/operations/circuitBreaker.js';
import { blockUntil, blockedForMs, fullBucket, refill, takeToken, type TokenBucketConfig } from '../../core/operations/tokenBucket.js';
import type { ProviderGuardDoc } from '../../core/schemas/coordination/providerGuard.js';
import { CircuitOpenError } from './circuitOpenError.js';
import { ProviderThrottledError } from './providerThrottledError.js';
import type { SyncDeps } from '../syncDeps.js';
import type { ProviderStateView } from '../../core/schemas/answers/providerState.js';

export interface ProviderRateLimit {
  requestsPerMinute: number;
  /** Calls that may go at once; default one second's worth (at least 1). */
  burst?: number;
}

export interface ProviderGuardOptions {
  tenantId: string;
  connectionId: string;
  /** Without it only the circuit and the provider's Retry-After hold calls back. */
  rateLimit?: ProviderRateLimit;
  /** Defaults: 5 consecutive failures open the circuit for 30 s. */
  circuit?: Partial<CircuitConfig>;
  /** Called once per outage, by the worker whose failure moved the circuit from closed to open. */
  onCircuitOpened?: () => Promise<void>;
}


const guardDocId = (connectionId: string) => `provider:${connectionId}`;

/**
 * Makes one provider call under the connection's rate limit and circuit breaker. Before the call
 * it takes a token and asks the circuit (one read, one conditional write); a refusal throws
 * ProviderThrottledError or CircuitOpenError for the caller to reschedule. Provider failures
 * (unavailable, rate-limited) count towards opening the circuit, and a Retry-After they carry
 * blocks the bucket; other errors (auth, bad requests) say nothing about the provider's health.
 */
export async function guardProviderCall<T>(
  deps: SyncDeps,
  options: ProviderGuardOptions,
  call: () => Promise<T>,
  /** What the provider's rate-limit headers said with the result: at 0 left, calls wait for the reset. */
  budgetOf: (result: T) => ProviderBudget | undefined = () => undefined,
): Promise<T> {
  const circuitConfig = { ...defaultCircuitConfig, ...options.circuit };
  const limit = options.rateLimit && bucketConfig(options.rateLimit);
  await admit(deps, options, limit, circuitConfig);
  let result: T;
  try {
    result = await call();
  } catch (error) {
    if (error instanceof ProviderUnavailableError || error instanceof RateLimitError) {
      await bookkeeping(deps, options, () => recordCallFailure(deps, options, circuitConfig, error));
    }
    // A spent quota is no outage (the circuit stays), but nothing may go before it resets: a run
    // resumed early is deferred until then instead of spending a call on the same refusal.
    if (error instanceof QuotaExhaustedError && error.resetAt !== undefined) {
      const budget = { remaining: 0, resetAt: error.resetAt };
      await bookkeeping(deps, options, () => recordBudget(deps, options, budget));
    }
    throw error;
  }
  // Always recorded: failures of calls running alongside this one may have been counted since it
  // started, and a success must reset them (recordCallSuccess writes nothing when there are none).
  await bookkeeping(deps, options, () => recordCallSuccess(deps, options, budgetOf(result)));
  return result;
}

/** The connection's circuit and rate-limit state as of now, for the API. */
export async function getProviderState(deps: SyncDeps, tenantId: string, connectionId: string): Promise<ProviderStateView> {
  const doc = await deps.store.read<ProviderGuardDoc>('coordination', tenantId, guardDocId(connectionId));
  const nowMs = deps.clock.now().getTime();
  const circuit = doc?.circuit ?? closedCircuit;
  const bucket = doc?.bucket;
  const blockedMs = bucket ? blockedForMs(bucket, nowMs) : 0;
  return {
    circuit: {
      state: circuit.status,
      consecutiveFailures: circuit.consecutiveFailures,
      ...(circuit.status !== 'closed' && circuit.openedAtMs !== undefined ? { openedAt: isoAt(circuit.openedAtMs) } : {}),
      ...(circuit.status !== 'closed' && circuit.retryAtMs !== undefined ? { retryAt: isoAt(circuit.retryAtMs) } : {}),
    },
    rateLimit: {
      ...(bucket && doc.limit ? { tokens: Math.floor(refill(bucket, doc.limit, nowMs).tokens) } : {}),
      ...(blockedMs > 0 ? { blockedUntil: isoAt(nowMs + blockedMs) } : {}),
      ...(doc?.providerBudget ? { providerRemaining: doc.providerBudget.remaining } : {}),
      ...(doc?.providerBudget?.resetAtMs !== undefined ? { providerResetAt: isoAt(doc.providerBudget.resetAtMs) } : {}),
    },
  };
}

function bucketConfig({ requestsPerMinute, burst }: ProviderRateLimit): TokenBucketConfig {
  return { capacity: burst ?? Math.max(1, Math.floor(requestsPerMinute / 60)), refillPerMinute: requestsPerMinute };
}

function emptyGuardDoc(options: ProviderGuardOptions): ProviderGuardDoc {
  return { id: guardDocId(options.connectionId), tenantId: options.tenantId, connectionId: options.connectionId, circuit: closedCircuit };
}

/** Takes a token and passes the circuit, or throws; returns the circuit state the call runs under. */
function admit(deps: SyncDeps, options: ProviderGuardOptions, limit: TokenBucketConfig | undefined, circuitConfig: CircuitConfig) {
  const { tenantId, connectionId } = options;
  return updateDocument<ProviderGuardDoc, CircuitState>(deps, 'coordination', tenantId, guardDocId(connectionId), (doc, nowMs) => {
    const current = doc ?? emptyGuardDoc(options);
    const circuit = decide(current.circuit, circuitConfig, nowMs);
    if (!circuit.allowed) throw new CircuitOpenError(connectionId, circuit.retryInMs);
    // The day's allowance is spent: the run pauses for quota before the provider has to refuse it.
    if (dailyQuotaSpent(current.providerBudget, nowMs, QUOTA_RESUME_WITHOUT_RESET_MS)) {
      throw new QuotaExhaustedError({ code: 'daily_quota_spent', message: `the provider reported no calls left of its daily allowance for connection ${connectionId}` });
    }
    let bucket = current.bucket;
    if (limit) {
      const taken = takeToken(bucket ?? fullBucket(limit, nowMs), limit, nowMs);
      if (!taken.granted) throw new ProviderThrottledError(connectionId, taken.waitMs);
      bucket = taken.state;
    } else if (bucket && blockedForMs(bucket, nowMs) > 0) {
      throw new ProviderThrottledError(connectionId, blockedForMs(bucket, nowMs));
    }
    // Without a limit, a closed circuit (decide returns the very state it got) changes nothing.
    const changed = limit !== undefined || circuit.state !== current.circuit;
    return { result: circuit.state, ...(changed ? { next: { ...current, circuit: circuit.state, bucket, limit } } : {}) };
  });
}

async function recordCallFailure(
  deps: SyncDeps,
  options: ProviderGuardOptions,
  circuitConfig: CircuitConfig,
  error: ProviderUnavailableError | RateLimitError,
): Promise<void> {
  const opened = await updateDocument<ProviderGuardDoc, boolean>(
    deps,
    'coordination',
    options.tenantId,
    guardDocId(options.connectionId),
    (doc, nowMs) => {
      const current = doc ?? emptyGuardDoc(options);
      const circuit = recordFailure(current.circuit, circuitConfig, nowMs);
      const bucket =
        error.retryAfterMs === undefined
          ? current.bucket
          : blockUntil(current.bucket ?? { tokens: 0, updatedAtMs: nowMs }, nowMs + error.retryAfterMs);
      return { result: current.circuit.status === 'closed' && circuit.status === 'open', next: { ...current, circuit, bucket } };
    },
  );
  if (opened) await options.onCircuitOpened?.();
}

function recordCallSuccess(deps: SyncDeps, options: ProviderGuardOptions, budget: ProviderBudget | undefined): Promise<void> {
  return updateDocument<ProviderGuardDoc, void>(deps, 'coordination', options.tenantId, guardDocId(options.connectionId), (doc, nowMs) => {
    const circuitClean = !doc || (doc.circuit.status === 'closed' && doc.circuit.consecutiveFailures === 0);
    if (circuitClean && !budget) return { result: undefined };
    const current = doc ?? emptyGuardDoc(options);
    const withBudget = budget ? withObservedBudget(current, budget, nowMs) : current;
    return { result: undefined, next: { ...withBudget, circuit: recordSuccess() } };
  });
}

function recordBudget(deps: SyncDeps, options: ProviderGuardOptions, budget: ProviderBudget): Promise<void> {
  return updateDocument<ProviderGuardDoc, void>(deps, 'coordination', options.tenantId, guardDocId(options.connectionId), (doc, nowMs) => ({
    result: undefined,
    next: withObservedBudget(doc ?? emptyGuardDoc(options), budget, nowMs),
  }));
}

/**
 * Keeps the provider's report and, when it says nothing is left until a known instant, blocks the
 * bucket until then: admit turns every call away meanwhile (ProviderThrottledError), as for a
 * Retry-After. Idempotent under redelivery: observeBudget folds a repeated report to the same
 * state, and blockUntil never shortens a block.
 */
function withObservedBudget(doc: ProviderGuardDoc, budget: ProviderBudget, nowMs: number): ProviderGuardDoc {
  const providerBudget = observeBudget(doc.providerBudget, budget, nowMs);
  const holdUntil = holdUntilMs(providerBudget, nowMs);
  const bucket = holdUntil === undefined ? doc.bucket : blockUntil(doc.bucket ?? { tokens: 0, updatedAtMs: nowMs }, holdUntil);
  return { ...doc, providerBudget, ...(bucket ? { bucket } : {}) };
}

/** Recording an outcome must not replace it: the caller gets the call's result or error either way. */
async function bookkeeping(deps: SyncDeps, options: ProviderGuardOptions, record: () => Promise<void>): Promise<void> {
  try {
    await record();
  } catch (error) {
    deps.log.warn('could not record the outcome of a provider call', {
      tenantId: options.tenantId,
      connectionId: options.connectionId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

const isoAt = (ms: number) => new Date(ms).toISOString();
