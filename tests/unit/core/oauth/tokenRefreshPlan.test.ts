import { describe, expect, it } from 'vitest';
import { effectiveMarginMs, planTokenRefresh } from '../../../../shared/core/oauth/tokenRefreshPlan.js';
import { credentialsAfterRefresh } from '../../../../shared/core/oauth/tokenResponse.js';

const NOW = 1_000_000;
const LEASE_MS = 30_000;
const base = { me: 'w1', nowMs: NOW, marginMs: 60_000, lease: undefined };

describe('planTokenRefresh', () => {
  it('uses a stored access token that lives longer than the margin', () => {
    expect(planTokenRefresh({ ...base, credentials: { accessToken: 'a', accessTokenExpiresAtMs: NOW + 61_000 } }, LEASE_MS)).toEqual({ kind: 'use', accessToken: 'a' });
  });

  it('uses a token without an expiry until the provider refuses it', () => {
    expect(planTokenRefresh({ ...base, credentials: { accessToken: 'a' } }, LEASE_MS)).toEqual({ kind: 'use', accessToken: 'a' });
    expect(planTokenRefresh({ ...base, credentials: { accessToken: 'a' }, rejectedToken: 'a' }, LEASE_MS)).toEqual({ kind: 'refresh' });
  });

  it('refreshes a token inside the margin, or none at all, when nobody holds the lease', () => {
    expect(planTokenRefresh({ ...base, credentials: { accessToken: 'a', accessTokenExpiresAtMs: NOW + 59_000 } }, LEASE_MS)).toEqual({ kind: 'refresh' });
    expect(planTokenRefresh({ ...base, credentials: {} }, LEASE_MS)).toEqual({ kind: 'refresh' });
  });

  it('after a 401 uses a token another worker stored since, instead of refreshing again', () => {
    const plan = planTokenRefresh({ ...base, credentials: { accessToken: 'b', accessTokenExpiresAtMs: NOW + 3_600_000 }, rejectedToken: 'a' }, LEASE_MS);
    expect(plan).toEqual({ kind: 'use', accessToken: 'b' });
  });

  it('waits for another worker holding a live lease, at most until it expires', () => {
    const plan = planTokenRefresh({ ...base, credentials: { accessToken: 'a', accessTokenExpiresAtMs: NOW - 1 }, lease: { holder: 'w2', expiresAtMs: NOW + 40 } }, LEASE_MS);
    expect(plan).toEqual({ kind: 'wait', retryInMs: 40 });
  });

  it('refreshes a short-lived token only in the last quarter of its lifetime, not on every call', () => {
    const issued = { accessToken: 'a', accessTokenIssuedAtMs: NOW - 1_000, accessTokenExpiresAtMs: NOW + 1_000 };
    expect(effectiveMarginMs(issued, 60_000)).toBe(500);
    expect(planTokenRefresh({ ...base, credentials: issued }, LEASE_MS)).toEqual({ kind: 'use', accessToken: 'a' });
    expect(planTokenRefresh({ ...base, nowMs: NOW + 500, credentials: issued }, LEASE_MS)).toEqual({ kind: 'refresh' });
  });

  it('keeps the configured margin for a long-lived token, or one whose issue time is unknown', () => {
    expect(effectiveMarginMs({ accessTokenIssuedAtMs: NOW, accessTokenExpiresAtMs: NOW + 3_600_000 }, 60_000)).toBe(60_000);
    expect(effectiveMarginMs({ accessTokenExpiresAtMs: NOW + 2_000 }, 60_000)).toBe(60_000);
    expect(planTokenRefresh({ ...base, credentials: { accessToken: 'a', accessTokenExpiresAtMs: NOW + 2_000 } }, LEASE_MS)).toEqual({ kind: 'refresh' });
  });

  it('takes over the lease of a refresher that died (expired lease)', () => {
    const plan = planTokenRefresh({ ...base, credentials: {}, lease: { holder: 'w2', expiresAtMs: NOW - 1 } }, LEASE_MS);
    expect(plan).toEqual({ kind: 'refresh' });
  });
});

describe('credentialsAfterRefresh', () => {
  const before = { clientId: 'c', clientSecret: 's', refreshToken: 'r1', accessToken: 'a1', accessTokenExpiresAtMs: 5, realmId: '42' };

  it('replaces a rotated refresh token and keeps fields of the provider', () => {
    const after = credentialsAfterRefresh(before, { access_token: 'a2', token_type: 'Bearer', expires_in: 2, refresh_token: 'r2' }, NOW);
    expect(after).toEqual({ clientId: 'c', clientSecret: 's', refreshToken: 'r2', accessToken: 'a2', accessTokenIssuedAtMs: NOW, accessTokenExpiresAtMs: NOW + 2000, realmId: '42' });
  });

  it('keeps the refresh token a non-rotating provider did not replace, and drops an expiry it did not send', () => {
    const after = credentialsAfterRefresh(before, { access_token: 'a2', token_type: 'Bearer' }, NOW);
    expect(after).toEqual({ clientId: 'c', clientSecret: 's', refreshToken: 'r1', accessToken: 'a2', accessTokenIssuedAtMs: NOW, realmId: '42' });
  });
});
