import { describe, expect, it } from 'vitest';
import { describeFunction, resolveSettingReferences } from '../../dev/host/functionDescription.js';
import { hostConfigFrom, parseTimeSpanMs, withJobHostOverrides } from '../../dev/host/hostConfig.js';
import { setCookieHeader } from '../../dev/host/httpMessages.js';
import { matchesFileNamePattern } from '../../dev/host/loadFunctions.js';
import { ncrontab } from '../../dev/host/timerRunner.js';

describe('host pieces', () => {
  it('reads host.json with the host defaults', () => {
    expect(hostConfigFrom({})).toEqual({ routePrefix: 'api', maxConcurrentCalls: 16, maxAutoLockRenewalMs: 300_000 });
    expect(
      hostConfigFrom({ extensions: { http: { routePrefix: '' }, serviceBus: { maxConcurrentCalls: 8, maxAutoLockRenewalDuration: '00:00:30' } } }),
    ).toEqual({ routePrefix: '', maxConcurrentCalls: 8, maxAutoLockRenewalMs: 30_000 });
    expect(parseTimeSpanMs('1.02:03:04.5')).toBe(((26 * 60 + 3) * 60 + 4) * 1000 + 500);
  });

  it('applies AzureFunctionsJobHost__ app settings over host.json, as the Functions host does', () => {
    const hostJson = { extensions: { serviceBus: { maxConcurrentCalls: 16 } } };
    const env = { AzureFunctionsJobHost__extensions__serviceBus__maxConcurrentCalls: '4', AzureFunctionsJobHost__extensions__http__routePrefix: 'v1', OTHER: 'x' };
    expect(hostConfigFrom(withJobHostOverrides(hostJson, env))).toMatchObject({ maxConcurrentCalls: 4, routePrefix: 'v1' });
    expect(hostJson.extensions.serviceBus.maxConcurrentCalls).toBe(16);
  });

  it('matches package.json main file-name patterns', () => {
    expect(matchesFileNamePattern('*.js', 'admin.js')).toBe(true);
    expect(matchesFileNamePattern('*.js', 'admin.js.map')).toBe(false);
    expect(matchesFileNamePattern('sync*.js', 'syncStart.js')).toBe(true);
    expect(matchesFileNamePattern('sync*.js', 'webhook.js')).toBe(false);
  });

  it('resolves %setting% references and fails on missing ones', () => {
    expect(resolveSettingReferences('%Q%-x', { Q: 'sync-start' })).toBe('sync-start-x');
    expect(() => resolveSettingReferences('%MISSING%', {})).toThrow(/MISSING/);
  });

  it('describes unsupported triggers without failing', () => {
    const result = describeFunction({ name: 'blob', bindings: { b: { type: 'blobTrigger', direction: 'in' } } }, {});
    expect(result).toEqual({ supported: false, triggerType: 'blobTrigger' });
  });

  it('parses NCRONTAB with seconds and ANDs day-of-month with day-of-week', () => {
    const everyFive = ncrontab('*/5 * * * * *');
    const next = everyFive.nextRun(new Date('2024-01-01T00:00:01Z'));
    expect(next?.toISOString()).toBe('2024-01-01T00:00:05.000Z');
    // 13th that is a Friday: Sep 13 2024.
    const friday13 = ncrontab('0 0 0 13 * 5');
    expect(friday13.nextRun(new Date('2024-01-01T00:00:00Z'))?.toISOString()).toBe('2024-09-13T00:00:00.000Z');
    expect(() => ncrontab('0 */5 * * *')).toThrow();
    expect(() => ncrontab('00:05:00')).toThrow(/TimeSpan/);
  });

  it('formats Set-Cookie headers', () => {
    expect(
      setCookieHeader({ name: 'a', value: 'b', path: { value: '/' }, secure: { value: true }, sameSite: 'explicitNone', maxAge: { value: 60 } }),
    ).toBe('a=b; Path=/; Max-Age=60; Secure; SameSite=None');
  });
});
