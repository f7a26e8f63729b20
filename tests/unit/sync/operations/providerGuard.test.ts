import { embeddedDeps } from '../embeddedDeps.js';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { AuthError } from '../../../../shared/connectors/authError.js';
import { ProviderUnavailableError } from '../../../../shared/connectors/providerUnavailableError.js';
import { RateLimitError } from '../../../../shared/connectors/rateLimitError.js';
import type { Clock } from '../../../../shared/ports/clock.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import { getProviderState, guardProviderCall, type ProviderGuardOptions } from '../../../../shared/sync/operations/providerGuard.js';
import { CircuitOpenError } from '../../../../shared/sync/operations/circuitOpenError.js';
import { ProviderCallDeferredError } from '../../../../shared/sync/operations/providerCallDeferredError.js';
import { ProviderThrottledError } from '../../../../shared/sync/operations/providerThrottledError.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** A clock the test moves by hand. */
class ManualClock implements Clock {
  constructor(public ms = T0) {}
  now = () => new Date(this.ms);
  advance(ms: number) {
    this.ms += ms;
  }
}

/** Two "workers": separate SyncDeps (and Store instances) on one SQLite database. */
function twoWorkers(): { a: SyncDeps; b: SyncDeps; clock: ManualClock } {
  const db: SqliteDatabase = openDatabase(':memory:');
  databases.push(db);
  const clock = new ManualClock();
  const worker = (): SyncDeps => embeddedDeps(db, { clock });
  return { a: worker(), b: worker(), clock };
}

const databases: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of databases.splice(0)) db.close();
});

const target: ProviderGuardOptions = { tenantId: 't1', connectionId: 'shop' };
const limited: ProviderGuardOptions = { ...target, rateLimit: { requestsPerMinute: 60, burst: 3 } }; // 1 a second
const unavailable = () => new ProviderUnavailableError({ status: 503, code: 'http_503', message: 'down' });

type Outcome = 'ok' | 'failed' | ProviderCallDeferredError;

/** Runs a guarded call that succeeds (or throws `error`) and says how it ended. */
async function attempt(deps: SyncDeps, options: ProviderGuardOptions, error?: Error): Promise<Outcome> {
  try {
    await guardProviderCall(deps, options, async () => {
      if (error) throw error;
    });
    return 'ok';
  } catch (caught) {
    if (caught instanceof ProviderCallDeferredError) return caught;
    if (caught === error) return 'failed';
    throw caught;
  }
}

describe('guardProviderCall: rate limit', () => {
  it('shares the tokens between workers on one store', async () => {
    const { a, b, clock } = twoWorkers();
    expect(await attempt(a, limited)).toBe('ok');
    expect(await attempt(b, limited)).toBe('ok');
    expect(await attempt(a, limited)).toBe('ok');
    const refused = await attempt(b, limited);
    expect(refused).toBeInstanceOf(ProviderThrottledError);
    expect(refused).toMatchObject({ waitMs: 1_000, delayMs: 1_000, connectionId: 'shop' });
    clock.advance(400);
    expect(await attempt(a, limited)).toMatchObject({ waitMs: 600 });
    clock.advance(600);
    expect(await attempt(a, limited)).toBe('ok');
    expect(await attempt(b, limited)).toBeInstanceOf(ProviderThrottledError);
  });

  it('does not call the provider when throttled', async () => {
    const { a } = twoWorkers();
    const once = { ...limited, rateLimit: { requestsPerMinute: 60, burst: 1 } };
    let calls = 0;
    const call = async () => ++calls;
    expect(await guardProviderCall(a, once, call)).toBe(1);
    await expect(guardProviderCall(a, once, call)).rejects.toBeInstanceOf(ProviderThrottledError);
    expect(calls).toBe(1);
  });

  it('50 concurrent calls from two workers never get more tokens than the burst', async () => {
    const { a, b } = twoWorkers();
    const options = { ...target, rateLimit: { requestsPerMinute: 600, burst: 10 } };
    let calls = 0;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => guardProviderCall(i % 2 === 0 ? a : b, options, async () => ++calls)),
    );
    expect(calls).toBe(10);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(refused).toHaveLength(40);
    for (const reason of refused) expect(reason).toBeInstanceOf(ProviderThrottledError);
    expect((await getProviderState(a, 't1', 'shop')).rateLimit).toEqual({ tokens: 0 });
  });

  it('defaults the burst to one second of calls', async () => {
    const { a } = twoWorkers();
    const options = { ...target, rateLimit: { requestsPerMinute: 120 } };
    expect(await attempt(a, options)).toBe('ok');
    expect(await attempt(a, options)).toBe('ok');
    expect(await attempt(a, options)).toMatchObject({ waitMs: 500 });
  });

  it("honours a provider's Retry-After for every worker, tokens or not", async () => {
    const { a, b, clock } = twoWorkers();
    const limitedError = new RateLimitError({ code: 'http_429', message: 'slow down', retryAfterMs: 5_000 });
    expect(await attempt(a, limited, limitedError)).toBe('failed');
    expect(await attempt(b, limited)).toMatchObject({ waitMs: 5_000 });
    expect(await getProviderState(b, 't1', 'shop')).toMatchObject({
      rateLimit: { tokens: 2, blockedUntil: new Date(T0 + 5_000).toISOString() },
    });
    clock.advance(4_999);
    expect(await attempt(b, limited)).toMatchObject({ waitMs: 1 });
    clock.advance(1);
    expect(await attempt(b, limited)).toBe('ok');
  });

  it('honours Retry-After on a connection without a rate limit too', async () => {
    const { a, b, clock } = twoWorkers();
    expect(await attempt(a, target, new RateLimitError({ code: 'http_429', message: 'slow down', retryAfterMs: 2_000 }))).toBe('failed');
    expect(await attempt(b, target)).toMatchObject({ waitMs: 2_000 });
    clock.advance(2_000);
    expect(await attempt(b, target)).toBe('ok');
  });
});

describe('guardProviderCall: circuit breaker', () => {
  it('opens after 5 consecutive provider failures, refuses for 30 s, and reports it once', async () => {
    const { a, b, clock } = twoWorkers();
    let opened = 0;
    const options = { ...target, onCircuitOpened: async () => void opened++ };
    for (let i = 0; i < 4; i++) expect(await attempt(i % 2 ? a : b, options, unavailable())).toBe('failed');
    expect(await getProviderState(a, 't1', 'shop')).toEqual({ circuit: { state: 'closed', consecutiveFailures: 4 }, rateLimit: {} });
    expect(opened).toBe(0);
    clock.advance(1_000);
    expect(await attempt(a, options, unavailable())).toBe('failed');
    expect(opened).toBe(1);

    let calls = 0;
    const refused = await guardProviderCall(b, options, async () => ++calls).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(refused).toMatchObject({ retryInMs: 30_000, delayMs: 30_000 });
    expect(calls).toBe(0);
    expect(await getProviderState(b, 't1', 'shop')).toEqual({
      circuit: {
        state: 'open',
        consecutiveFailures: 5,
        openedAt: new Date(T0 + 1_000).toISOString(),
        retryAt: new Date(T0 + 31_000).toISOString(),
      },
      rateLimit: {},
    });
    clock.advance(29_999);
    expect(await attempt(b, options)).toMatchObject({ retryInMs: 1 });
  });

  it('half-opens after the cool-down: one probe, and its success closes the circuit', async () => {
    const { a, b, clock } = twoWorkers();
    for (let i = 0; i < 5; i++) await attempt(a, target, unavailable());
    clock.advance(30_000);

    let releaseProbe!: () => void;
    const probe = guardProviderCall(a, target, () => new Promise<string>((resolve) => (releaseProbe = () => resolve('probed'))));
    await expect.poll(() => releaseProbe).toBeDefined();
    expect((await getProviderState(b, 't1', 'shop')).circuit.state).toBe('half_open');
    // While the probe is out, nobody else calls the provider.
    expect(await attempt(b, target)).toBeInstanceOf(CircuitOpenError);
    releaseProbe();
    expect(await probe).toBe('probed');

    expect(await getProviderState(b, 't1', 'shop')).toEqual({ circuit: { state: 'closed', consecutiveFailures: 0 }, rateLimit: {} });
    expect(await attempt(b, target)).toBe('ok');
  });

  it('opens again for another cool-down when the probe fails, without a second alert', async () => {
    const { a, b, clock } = twoWorkers();
    let opened = 0;
    const options = { ...target, onCircuitOpened: async () => void opened++ };
    for (let i = 0; i < 5; i++) await attempt(a, options, unavailable());
    clock.advance(30_000);
    expect(await attempt(b, options, unavailable())).toBe('failed');
    expect(await attempt(a, options)).toMatchObject({ retryInMs: 30_000 });
    expect((await getProviderState(a, 't1', 'shop')).circuit).toMatchObject({ state: 'open', consecutiveFailures: 6 });
    expect(opened).toBe(1);
  });

  it('auth errors and other errors do not trip it', async () => {
    const { a } = twoWorkers();
    for (let i = 0; i < 10; i++) {
      expect(await attempt(a, target, new AuthError({ status: 401, code: 'http_401', message: 'bad key' }))).toBe('failed');
      expect(await attempt(a, target, new TypeError('a bug of ours'))).toBe('failed');
    }
    expect((await getProviderState(a, 't1', 'shop')).circuit).toEqual({ state: 'closed', consecutiveFailures: 0 });
  });

  it('a success in between resets the consecutive failures', async () => {
    const { a, b } = twoWorkers();
    for (let i = 0; i < 4; i++) await attempt(a, target, unavailable());
    expect(await attempt(b, target)).toBe('ok');
    for (let i = 0; i < 4; i++) await attempt(a, target, unavailable());
    expect((await getProviderState(a, 't1', 'shop')).circuit).toEqual({ state: 'closed', consecutiveFailures: 4 });
  });

  it('takes its thresholds from the options', async () => {
    const { a, clock } = twoWorkers();
    const options = { ...target, circuit: { failureThreshold: 2, coolDownMs: 1_000 } };
    await attempt(a, options, unavailable());
    await attempt(a, options, unavailable());
    expect(await attempt(a, options)).toMatchObject({ retryInMs: 1_000 });
    clock.advance(1_000);
    expect(await attempt(a, options)).toBe('ok');
  });

  it('a connection never called is closed and unthrottled', async () => {
    const { a } = twoWorkers();
    expect(await getProviderState(a, 't1', 'other')).toEqual({ circuit: { state: 'closed', consecutiveFailures: 0 }, rateLimit: {} });
  });
});
