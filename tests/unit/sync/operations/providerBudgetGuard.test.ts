import { embeddedDeps } from '../embeddedDeps.js';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { QuotaExhaustedError } from '../../../../shared/connectors/quotaExhaustedError.js';
import type { ProviderBudget } from '../../../../shared/core/operations/providerBudget.js';
import type { Clock } from '../../../../shared/ports/clock.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import { getProviderState, guardProviderCall, type ProviderGuardOptions } from '../../../../shared/sync/operations/providerGuard.js';
import { ProviderThrottledError } from '../../../../shared/sync/operations/providerThrottledError.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

class ManualClock implements Clock {
  constructor(public ms = T0) {}
  now = () => new Date(this.ms);
  advance(ms: number) {
    this.ms += ms;
  }
}

const databases: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of databases.splice(0)) db.close();
});

/** Two "workers": separate SyncDeps on one SQLite database, sharing the guard document. */
function twoWorkers(): { a: SyncDeps; b: SyncDeps; clock: ManualClock } {
  const db = openDatabase(':memory:');
  databases.push(db);
  const clock = new ManualClock();
  return { a: embeddedDeps(db, { clock }), b: embeddedDeps(db, { clock }), clock };
}

const target: ProviderGuardOptions = { tenantId: 't1', connectionId: 'api' };

/** A guarded call whose response reported `budget`. */
const reporting = (deps: SyncDeps, budget: ProviderBudget | undefined) =>
  guardProviderCall(deps, target, async () => ({ budget }), (result) => result.budget);

describe("guardProviderCall: the provider's reported budget", () => {
  it('holds every worker’s calls from the moment the provider says 0 remain until its reset, then lets them go', async () => {
    const { a, b, clock } = twoWorkers();
    await reporting(a, { remaining: 1, resetAt: at(30_000) });
    // One left is still one: the next call goes.
    await reporting(b, { remaining: 0, resetAt: at(30_000) });

    clock.advance(10_000);
    const held = await reporting(a, undefined).catch((error: unknown) => error);
    expect(held).toBeInstanceOf(ProviderThrottledError);
    expect((held as ProviderThrottledError).delayMs).toBe(20_000);
    expect((await getProviderState(b, 't1', 'api')).rateLimit).toEqual({ blockedUntil: at(30_000), providerRemaining: 0, providerResetAt: at(30_000) });

    clock.advance(20_000);
    await expect(reporting(b, { remaining: 99, resetAt: at(90_000) })).resolves.toEqual({ budget: { remaining: 99, resetAt: at(90_000) } });
    expect((await getProviderState(a, 't1', 'api')).rateLimit).toEqual({ providerRemaining: 99, providerResetAt: at(90_000) });
  });

  it('does not let a late answer of a call that ran alongside shorten the hold or raise the budget', async () => {
    const { a, b, clock } = twoWorkers();
    let answer!: (budget: ProviderBudget) => void;
    // Admitted before the hold, answering after it: the provider counted it in the same window.
    const alongside = guardProviderCall(b, target, () => new Promise<{ budget: ProviderBudget }>((resolve) => (answer = (budget) => resolve({ budget }))), (r) => r.budget);
    await reporting(a, { remaining: 0, resetAt: at(30_000) });
    expect(answer).toBeTypeOf('function');
    answer({ remaining: 4, resetAt: at(30_000) });
    await alongside;

    clock.advance(1_000);
    await expect(reporting(b, undefined)).rejects.toBeInstanceOf(ProviderThrottledError);
    expect((await getProviderState(a, 't1', 'api')).rateLimit).toEqual({ blockedUntil: at(30_000), providerRemaining: 0, providerResetAt: at(30_000) });
  });

  it('holds calls until a spent quota resets, without counting it against the circuit', async () => {
    const { a, b, clock } = twoWorkers();
    const spent = new QuotaExhaustedError({ status: 403, code: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.', resetAt: at(3_600_000) });
    await expect(guardProviderCall(a, target, () => Promise.reject(spent))).rejects.toBe(spent);

    clock.advance(60_000);
    const held = await guardProviderCall(b, target, async () => 'called').catch((error: unknown) => error);
    expect(held).toBeInstanceOf(ProviderThrottledError);
    expect((held as ProviderThrottledError).delayMs).toBe(3_540_000);
    expect((await getProviderState(b, 't1', 'api')).circuit).toEqual({ state: 'closed', consecutiveFailures: 0 });

    clock.advance(3_540_000);
    await expect(guardProviderCall(b, target, async () => 'called')).resolves.toBe('called');
  });
});
