import { describe, expect, it } from 'vitest';
import { KEY_VAULT_NAME_MAX_LENGTH, keyVaultSecretName } from '../../../shared/adapters/azure/secretNames.js';

const VALID = /^[0-9a-zA-Z-]{1,127}$/;

/** Deterministic pseudo-random names over the characters that matter (no fast-check installed). */
function* generatedNames(count: number): Generator<string> {
  const alphabet = ['a', 'b', 'A', 'B', '0', '-', '_', '.', '/', ' ', 'é', '🔑', '\n'];
  let state = 42;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < count; i++) {
    const length = next() % 6 === 0 ? 100 + (next() % 100) : next() % 8;
    yield Array.from({ length }, () => alphabet[next() % alphabet.length]).join('');
  }
}

describe('keyVaultSecretName', () => {
  it('keeps lower-case names that are already valid', () => {
    expect(keyVaultSecretName('conn-0f8e-42')).toBe('conn-0f8e-42');
    expect(keyVaultSecretName('x'.repeat(KEY_VAULT_NAME_MAX_LENGTH))).toBe('x'.repeat(KEY_VAULT_NAME_MAX_LENGTH));
  });

  it('replaces unsafe characters, lower-cases, and appends "--" and a hash of the original', () => {
    expect(keyVaultSecretName('conn-t_1-c_2')).toMatch(/^conn-t-1-c-2--[0-9a-f]{20}$/);
    expect(keyVaultSecretName('Conn-A')).toMatch(/^conn-a--[0-9a-f]{20}$/);
  });

  it('is deterministic', () => {
    expect(keyVaultSecretName('conn-t_1-c_2')).toBe(keyVaultSecretName('conn-t_1-c_2'));
  });

  it('keeps "_" and "-", case, and "--" apart (Key Vault names are case-insensitive)', () => {
    const names = ['a_b', 'a-b', 'A-b', 'a.b', 'a--b', 'a__b'];
    const mapped = names.map((name) => keyVaultSecretName(name).toLowerCase());
    expect(new Set(mapped).size).toBe(names.length);
  });

  it('a valid name that looks like a hashed one is hashed again, so it cannot collide', () => {
    const hashed = keyVaultSecretName('a_b');
    expect(keyVaultSecretName(hashed)).not.toBe(hashed);
  });

  it('cuts long names to 127 characters, keeping names that differ only at the end apart', () => {
    const long = `conn-${'x'.repeat(200)}`;
    const [a, b] = [keyVaultSecretName(`${long}a`), keyVaultSecretName(`${long}b`)];
    expect(a).toHaveLength(KEY_VAULT_NAME_MAX_LENGTH);
    expect(a).not.toBe(b);
    expect(keyVaultSecretName('x'.repeat(KEY_VAULT_NAME_MAX_LENGTH + 1))).toHaveLength(KEY_VAULT_NAME_MAX_LENGTH);
  });

  it('maps the empty name and lone surrogates to valid, distinct names', () => {
    const names = ['', '\ud800', '\udc00', '\ufffd'];
    const mapped = names.map(keyVaultSecretName);
    for (const name of mapped) expect(name).toMatch(VALID);
    expect(new Set(mapped).size).toBe(names.length);
  });

  it('maps 5000 generated names to valid names without a case-insensitive collision', () => {
    const seen = new Map<string, string>();
    for (const name of generatedNames(5000)) {
      const mapped = keyVaultSecretName(name);
      expect(mapped).toMatch(VALID);
      const key = mapped.toLowerCase();
      const earlier = seen.get(key);
      if (earlier !== undefined) expect(earlier).toBe(name);
      seen.set(key, name);
    }
    expect(seen.size).toBeGreaterThan(1000);
  });
});
