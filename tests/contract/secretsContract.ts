import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Secrets } from '../../shared/ports/secrets.js';

/**
 * Behaviour every Secrets adapter must have, written against the port only. `make` may return
 * the same store each time (a real vault persists), so every test uses names unique to the run.
 */
export function describeSecretsContract(name: string, make: () => Promise<Secrets>): void {
  describe(`Secrets contract: ${name}`, () => {
    const run = randomUUID().slice(0, 8);
    const unique = (label: string) => `conn-${run}-${label}`;

    it('a value set is read back', async () => {
      const secrets = await make();
      await secrets.set(unique('round-trip'), 'ck_123');
      expect(await secrets.get(unique('round-trip'))).toBe('ck_123');
    });

    it('a secret never set is undefined', async () => {
      const secrets = await make();
      expect(await secrets.get(unique('missing'))).toBeUndefined();
    });

    it('a set overwrites the previous value', async () => {
      const secrets = await make();
      await secrets.set(unique('rotated'), 'refresh-token-1');
      await secrets.set(unique('rotated'), 'refresh-token-2');
      expect(await secrets.get(unique('rotated'))).toBe('refresh-token-2');
    });

    it('names with "_", "-", upper case or great length are distinct secrets that work', async () => {
      const secrets = await make();
      const names = [
        unique('t_1-c_2'),
        unique('t-1-c-2'),
        unique('t_1_c_2'),
        unique('T-1-C-2'),
        unique('t--1'),
        unique(`long-${'x'.repeat(200)}`),
        unique(`long-${'x'.repeat(199)}_`),
        unique('tenant.example.com/woo key'),
      ];
      for (const [index, secretName] of names.entries()) await secrets.set(secretName, `value-${index}`);
      expect(await Promise.all(names.map((secretName) => secrets.get(secretName)))).toEqual(names.map((_, index) => `value-${index}`));
    });

    it('a deleted secret reads as absent at once; deleting one that is not there is harmless', async () => {
      const secrets = await make();
      await secrets.set(unique('retired'), 'ck_old');
      await secrets.set(unique('kept'), 'ck_kept');
      await secrets.delete(unique('retired'));
      expect(await secrets.get(unique('retired'))).toBeUndefined();
      expect(await secrets.get(unique('kept'))).toBe('ck_kept');
      await secrets.delete(unique('retired'));
      await secrets.delete(unique('never-set'));
    });

    it('values keep unicode, newlines, quotes and length exactly', async () => {
      const secrets = await make();
      const values = [
        'pässwörd 🔑 密码',
        '-----BEGIN PRIVATE KEY-----\nMIIB\r\nVQ==\n-----END PRIVATE KEY-----\n',
        ' "quoted" \\ back\tslash ',
        'x'.repeat(4096),
      ];
      for (const [index, value] of values.entries()) await secrets.set(unique(`value-${index}`), value);
      for (const [index, value] of values.entries()) expect(await secrets.get(unique(`value-${index}`))).toBe(value);
    });
  });
}
