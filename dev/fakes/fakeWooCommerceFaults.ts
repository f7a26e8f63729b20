import type { FakeRecord } from './fakeWooCommerceData.js';

/**
 * Random faults of the fake store. Each decision is a pure function of (seed, request number), so
 * the same seed fails the same requests the same way whatever the timing of the run.
 */
export const fakeFaultKinds = ['server_error', 'unavailable', 'rate_limit', 'timeout', 'truncated_json', 'connection_reset', 'credential_echo'] as const;

/**
 * - `server_error`: 500 with WordPress' "critical error" body.
 * - `unavailable`: 503 (a proxy or host in front of the store).
 * - `rate_limit`: 429 without Retry-After.
 * - `timeout`: no answer until the client gives up (or `hangMs` passes; then the normal answer).
 * - `truncated_json`: 200 with the real headers and half of the body (see `truncation`).
 * - `connection_reset`: the connection is destroyed before any answer.
 * - `credential_echo`: an error (`credentialEchoStatus`, default 401) whose body echoes the
 *   credentials the request carried, in every form (see fakeWooCommerceEcho.ts).
 */
export type FakeFaultKind = (typeof fakeFaultKinds)[number];

/**
 * What the next writes (PUT/PATCH/POST reaching a store route) meet, one entry per write, in order:
 * - `conflict`, `precondition_failed`: 409, 412. WooCommerce itself never answers these; they
 *   stand for a plugin or proxy doing concurrency control in front of it.
 * - `rate_limit`: 429, with Retry-After when `retryAfterSeconds` is set.
 * - `server_error`: 500 with WordPress' "critical error" body; with `applied`, the write was saved
 *   before PHP died, so a create made its record after all.
 * - `concurrent_edit`: another client's `patch` lands on the record just before this update,
 *   i.e. between a client's read and its write; this write then goes through.
 * - `credential_echo`: an error (`status`, default 400) echoing the credentials, as the read fault.
 */
export type FakeWriteFault =
  | { kind: 'conflict' | 'precondition_failed' }
  | { kind: 'rate_limit'; retryAfterSeconds?: number }
  | { kind: 'server_error'; applied?: boolean }
  | { kind: 'concurrent_edit'; patch: FakeRecord }
  | { kind: 'credential_echo'; status?: number };

/** What shaped an answer in the request log: a fault kind, `down` (the `downUntil` outage) or a write fault. */
export type FakeFault = FakeFaultKind | 'down' | FakeWriteFault['kind'];

export const defaultRandomFaultKinds: readonly FakeFaultKind[] = ['server_error', 'timeout', 'truncated_json'];

export interface RandomFaults {
  failureRate?: number;
  seed?: number;
  kinds?: readonly FakeFaultKind[];
}

/** The random fault request `n` (1-based, as the fake counts) gets, or undefined when it goes through. */
export function faultForRequest(faults: RandomFaults, n: number): FakeFaultKind | undefined {
  const rate = faults.failureRate ?? 0;
  if (!(rate > 0)) return undefined;
  const kinds = faults.kinds ?? defaultRandomFaultKinds;
  if (kinds.length === 0) return undefined;
  const seed = faults.seed ?? 1;
  if (unitDraw(seed, n, 1) >= rate) return undefined;
  return kinds[Math.floor(unitDraw(seed, n, 2) * kinds.length)];
}

/** Whether the store is down at `nowMs`. */
export function isDown(downUntil: number | (() => number), nowMs: number): boolean {
  return nowMs < (typeof downUntil === 'function' ? downUntil() : downUntil);
}

/** A number in [0, 1) from (seed, n, salt): murmur3's finalizer over the three, counter-based. */
function unitDraw(seed: number, n: number, salt: number): number {
  let hash = 0x9e3779b9;
  for (const part of [seed, n, salt]) {
    hash = Math.imul(hash ^ part, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return (hash >>> 0) / 4294967296;
}
