import { embeddedDeps } from '../embeddedDeps.js';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { checkStartRateLimit } from '../../../../shared/sync/operations/tenantRateLimit.js';
import { UnknownResourceError } from '../../../../shared/sync/unknownResourceError.js';

let db: SqliteDatabase | undefined;
afterEach(() => db?.close());

function depsAt(startMs: number): { deps: SyncDeps; advance(ms: number): void } {
  db = openDatabase(':memory:');
  let nowMs = startMs;
  const clock = { now: () => new Date(nowMs) };
  const deps: SyncDeps = embeddedDeps(db, { clock });
  return { deps, advance: (ms) => (nowMs += ms) };
}

describe('checkStartRateLimit', () => {
  it('refuses the 11th start within a minute (default 10 a minute) with the seconds to wait', async () => {
    const { deps, advance } = depsAt(Date.parse('2026-01-01T00:00:00Z'));
    await putTenant(deps, 'acme', {});
    for (let i = 0; i < 10; i++) expect(await checkStartRateLimit(deps, 'acme')).toEqual({ allowed: true });
    // 10 a minute: the next token comes back after 6 s.
    expect(await checkStartRateLimit(deps, 'acme')).toEqual({ allowed: false, retryAfterSeconds: 6 });
    advance(5_001);
    expect(await checkStartRateLimit(deps, 'acme')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    advance(999);
    expect(await checkStartRateLimit(deps, 'acme')).toEqual({ allowed: true });
    expect(await checkStartRateLimit(deps, 'acme')).toEqual({ allowed: false, retryAfterSeconds: 6 });
  });

  it('sustains the limit: 10 a minute, evenly', async () => {
    const { deps, advance } = depsAt(0);
    await putTenant(deps, 'acme', {});
    for (let i = 0; i < 10; i++) await checkStartRateLimit(deps, 'acme');
    let allowed = 0;
    for (let second = 0; second < 60; second++) {
      advance(1_000);
      if ((await checkStartRateLimit(deps, 'acme')).allowed) allowed += 1;
    }
    expect(allowed).toBe(10);
  });

  it("follows the tenant's startRequestsPerMinute, per tenant", async () => {
    const { deps } = depsAt(0);
    await putTenant(deps, 'small', { settings: { limits: { startRequestsPerMinute: 2 } } });
    await putTenant(deps, 'other', {});
    expect(await checkStartRateLimit(deps, 'small')).toEqual({ allowed: true });
    expect(await checkStartRateLimit(deps, 'small')).toEqual({ allowed: true });
    expect(await checkStartRateLimit(deps, 'small')).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect(await checkStartRateLimit(deps, 'other')).toEqual({ allowed: true });
  });

  it('retries spend a budget of their own: neither uses up the other', async () => {
    const { deps } = depsAt(0);
    await putTenant(deps, 'small', { settings: { limits: { startRequestsPerMinute: 2 } } });
    for (let i = 0; i < 2; i++) expect(await checkStartRateLimit(deps, 'small')).toEqual({ allowed: true });
    expect(await checkStartRateLimit(deps, 'small')).toEqual({ allowed: false, retryAfterSeconds: 30 });

    for (let i = 0; i < 2; i++) expect(await checkStartRateLimit(deps, 'small', 'retry')).toEqual({ allowed: true });
    expect(await checkStartRateLimit(deps, 'small', 'retry')).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect(await checkStartRateLimit(deps, 'small', 'automation')).toEqual({ allowed: false, retryAfterSeconds: 30 });
  });

  it('counts concurrent starts exactly', async () => {
    const { deps } = depsAt(0);
    await putTenant(deps, 'acme', {});
    const decisions = await Promise.all(Array.from({ length: 30 }, () => checkStartRateLimit(deps, 'acme')));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });

  it('answers unknown tenants with UnknownResourceError', async () => {
    const { deps } = depsAt(0);
    await expect(checkStartRateLimit(deps, 'nobody')).rejects.toBeInstanceOf(UnknownResourceError);
  });
});
