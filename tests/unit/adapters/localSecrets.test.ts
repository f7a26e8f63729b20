import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalSecrets, secretSettingName } from '../../../shared/adapters/embedded/localSecrets.js';

describe('LocalSecrets', () => {
  const dirs: string[] = [];
  const tempFile = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'shardsync-secrets-'));
    dirs.push(dir);
    return join(dir, 'data', 'secrets.json');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reads a secret from its SHARDSYNC_SECRET_ setting', async () => {
    expect(secretSettingName('alerts-acme-42')).toBe('SHARDSYNC_SECRET_ALERTS_ACME_42');
    const secrets = new LocalSecrets({ settings: { SHARDSYNC_SECRET_ALERTS_ACME_42: 'whsec_123' } });
    expect(await secrets.get('alerts-acme-42')).toBe('whsec_123');
    expect(await secrets.get('other')).toBeUndefined();
  });

  it('names that would share a setting with another name read none: a_b and A-b never read a-b\'s', async () => {
    const secrets = new LocalSecrets({ settings: { SHARDSYNC_SECRET_ALERTS_A_B: 'meant for tenant a-b' } });
    expect(await secrets.get('alerts-a-b')).toBe('meant for tenant a-b');
    for (const name of ['alerts-a_b', 'alerts-A-b', 'alerts-a--b', 'alerts-a.b']) {
      expect(secretSettingName(name)).toBeUndefined();
      expect(await secrets.get(name)).toBeUndefined();
    }
  });

  it('a secret set is persisted and read back by a new instance on the same file', async () => {
    const file = tempFile();
    const writer = new LocalSecrets({ file });
    expect(await writer.get('a')).toBeUndefined(); // absent file = no secrets
    await Promise.all([writer.set('a', 'one'), writer.set('b', 'two')]);
    await writer.set('a', 'uno');
    expect(await writer.get('a')).toBe('uno');

    const reader = new LocalSecrets({ file });
    expect([await reader.get('a'), await reader.get('b')]).toEqual(['uno', 'two']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ a: 'uno', b: 'two' });
  });

  it('two processes on one file read each other\'s writes and lose none of them', async () => {
    const file = tempFile();
    const [a, b] = [new LocalSecrets({ file }), new LocalSecrets({ file })];
    expect(await b.get('token')).toBeUndefined();
    await a.set('token', 'rotated-1');
    expect(await b.get('token')).toBe('rotated-1');
    await b.set('token', 'rotated-2');
    expect(await a.get('token')).toBe('rotated-2');

    const names = Array.from({ length: 20 }, (_, i) => `s${i}`);
    expect(names.length).toBeGreaterThan(0);
    await Promise.all(names.map((name, i) => (i % 2 === 0 ? a : b).set(name, `value-${name}`)));
    for (const reader of [a, b, new LocalSecrets({ file })]) {
      for (const name of names) expect(await reader.get(name)).toBe(`value-${name}`);
      expect(await reader.get('token')).toBe('rotated-2');
    }
  });

  it('a deleted secret is gone from the file too', async () => {
    const file = tempFile();
    const writer = new LocalSecrets({ file });
    await Promise.all([writer.set('a', 'one'), writer.set('b', 'two')]);
    await writer.delete('a');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ b: 'two' });
    expect(await new LocalSecrets({ file }).get('a')).toBeUndefined();
  });

  it('a value set at runtime wins over the setting of the same name', async () => {
    const secrets = new LocalSecrets({ settings: { SHARDSYNC_SECRET_TOKEN: 'from-env' } });
    await secrets.set('token', 'rotated');
    expect(await secrets.get('token')).toBe('rotated');
  });

  it('the secrets file is readable by its owner only', async () => {
    const file = tempFile();
    await new LocalSecrets({ file }).set('a', 'x');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('inspecting or serialising the instance reveals no value', async () => {
    const file = tempFile();
    const secrets = new LocalSecrets({ file, settings: { SHARDSYNC_SECRET_ENV: 'env-value-123' } });
    await secrets.set('stored', 'file-value-456');
    const shown = [inspect(secrets, { depth: 10, showHidden: true }), JSON.stringify(secrets), String(secrets)].join(' ');
    expect(shown).not.toMatch(/env-value-123|file-value-456/);
  });

  it('a corrupt file is reported without quoting its contents', async () => {
    const file = tempFile();
    const secrets = new LocalSecrets({ file });
    await secrets.set('seed', 'x'); // creates the directory
    writeFileSync(file, '{"a": "hunter2"');
    const error = await new LocalSecrets({ file }).get('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toContain('hunter2');
  });
});
