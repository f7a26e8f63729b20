import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ids } from '../../../shared/core/ids.js';
import { keyVaultSecretName } from '../../../shared/adapters/azure/secretNames.js';

/** Resource ids as the API accepts them, over an alphabet small enough that dashes and underscores meet often. */
const resourceId = fc
  .tuple(fc.constantFrom('a', 'b', '1'), fc.array(fc.constantFrom('a', 'b', '-', '_', 'c', 'o', 'n'), { maxLength: 10 }))
  .map(([first, rest]) => first + rest.join(''));
const pair = fc.tuple(resourceId, resourceId);
/** Two pairs that join to the same text around a dash: (a, b-c) and (a-b, c), the shape of the takeover. */
const dashShiftedPairs = fc
  .tuple(resourceId, resourceId, resourceId)
  .map(([a, b, c]): [[string, string], [string, string]] => [[a, `${b}-${c}`], [`${a}-${b}`, c]]);
/** Any text, biased towards the characters that separate parts. */
const part = fc.array(fc.constantFrom('a', ':', '-', '\u0000', '\u0001', '\u0002'), { maxLength: 6 }).map((chars) => chars.join(''));

const samePair = ([a, b]: [string, string], [c, d]: [string, string]) => a === c && b === d;

describe('names derived from ids are injective', () => {
  it('the takeover pair (rt, b-conn-b) and (rt-b, conn-b) get different secret names, in Key Vault too', () => {
    const attacker = ids.secretForConnection('rt', 'b-conn-b');
    const victim = ids.secretForConnection('rt-b', 'conn-b');
    expect(attacker).not.toBe(victim);
    expect(keyVaultSecretName(attacker).toLowerCase()).not.toBe(keyVaultSecretName(victim).toLowerCase());
    expect(ids.secretForWebhooks('rt', 'b-conn-b')).not.toBe(ids.secretForWebhooks('rt-b', 'conn-b'));
    // …where the legacy names met.
    expect(ids.legacySecretForConnection('rt', 'b-conn-b')).toBe(ids.legacySecretForConnection('rt-b', 'conn-b'));
  });

  it('no two (tenant, connection) pairs share a connection or webhook secret name (property over ids with dashes)', () => {
    const distinctNames = (x: [string, string], y: [string, string]) => {
      fc.pre(!samePair(x, y));
      expect(ids.secretForConnection(...x)).not.toBe(ids.secretForConnection(...y));
      expect(ids.secretForWebhooks(...x)).not.toBe(ids.secretForWebhooks(...y));
    };
    fc.assert(fc.property(pair, pair, distinctNames), { numRuns: 10_000 });
    fc.assert(fc.property(dashShiftedPairs, ([x, y]) => distinctNames(x, y)), { numRuns: 10_000 });
  });

  it('the same property finds the collision in the legacy names, so it can fail', () => {
    const check = fc.check(
      fc.property(dashShiftedPairs, ([x, y]) => samePair(x, y) || ids.legacySecretForConnection(...x) !== ids.legacySecretForConnection(...y)),
      { seed: 7 },
    );
    expect(check.failed).toBe(true);
  });

  it('secret names are valid Key Vault names as they are, and connection and webhook names never meet', () => {
    fc.assert(
      fc.property(pair, pair, (x, y) => {
        const connection = ids.secretForConnection(...x);
        expect(connection).toMatch(/^[0-9a-z-]{1,127}$/);
        expect(keyVaultSecretName(connection)).toBe(connection);
        expect(ids.secretForWebhooks(...y)).not.toBe(connection);
      }),
    );
  });

  it('digested document ids stay apart whatever their parts hold, separators included', () => {
    fc.assert(
      fc.property(part, part, part, part, (a, b, c, d) => {
        fc.pre(a !== c || b !== d);
        expect(ids.failure('exe', a, b)).not.toBe(ids.failure('exe', c, d));
        expect(ids.shardFor('con', a, b)).not.toBe(ids.shardFor('con', c, d));
      }),
      { numRuns: 20_000 },
    );
  });

  it('ids of parts without separators keep the value they always had (stored shards are found again)', () => {
    // The formula shard ids were stored under: the parts joined by NUL, SHA-256, base64url, 32 characters.
    const stored = `shd_${createHash('sha256').update(['shop', 'customers', '42'].join('\u0000')).digest('base64url').slice(0, 32)}`;
    expect(ids.shardFor('shop', 'customers', '42')).toBe(stored);
  });
});
