import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey, rotateApiKey } from '../../../../shared/sync/access/apiKeys.js';
import { authenticate } from '../../../../shared/sync/access/authenticate.js';
import { UnauthenticatedError } from '../../../../shared/sync/access/unauthenticatedError.js';
import { StateConflictError } from '../../../../shared/sync/stateConflictError.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import type { ApiKey } from '../../../../shared/core/schemas/apiKey.js';
import { ids } from '../../../../shared/core/ids.js';
import { embeddedDeps } from '../embeddedDeps.js';

const ADMIN = { type: 'operator' as const, id: 'local-admin' };
let db: SqliteDatabase | undefined;
afterEach(() => db?.close());

async function fixture() {
  let nowMs = Date.parse('2026-12-01T10:00:00Z');
  db = openDatabase(':memory:');
  const deps: SyncDeps = { ...embeddedDeps(db, { clock: { now: () => new Date(nowMs) } }), access: { disabled: false, tenantsClaim: 'shardsync_tenants', trustAppServicePrincipal: false } };
  await putTenant(deps, 't1', {});
  await putTenant(deps, 't2', {});
  const bearer = (key: string) => authenticate(deps, new Headers({ authorization: `Bearer ${key}` }));
  const refused = async (key: string) => expect(await bearer(key).then(() => 'accepted', (e: unknown) => e)).toBeInstanceOf(UnauthenticatedError);
  return { deps, bearer, refused, advance: (ms: number) => (nowMs += ms) };
}

describe('tenant API keys', () => {
  it('a new key is shown once and works as its tenant and role; the store keeps only a hash', async () => {
    const { deps, bearer } = await fixture();
    const created = await createApiKey(deps, 't1', { name: 'exporter', role: 'Sync.Reader' }, ADMIN);
    expect(created.key).toMatch(/^ssk\.t1\.key_[0-9a-f]+\.[A-Za-z0-9_-]{43}$/);
    expect(await bearer(created.key)).toMatchObject({ kind: 'apiKey', id: `key:${created.id}`, role: 'Sync.Reader', tenants: ['t1'] });

    const secret = created.key.split('.')[3]!;
    const stored = JSON.stringify(db!.prepare('SELECT body FROM docs').all());
    expect(stored).not.toContain(secret);
    const listed = await listApiKeys(deps, 't1', {});
    expect(listed.items).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed.items[0]).not.toHaveProperty('hash');
    expect(listed.items[0]).not.toHaveProperty('key');
  });

  it('records when a key was last used, at most once a minute', async () => {
    const { deps, bearer, advance } = await fixture();
    const { key, id } = await createApiKey(deps, 't1', { name: 'k', role: 'Sync.Operator' }, ADMIN);
    expect((await getApiKey(deps, 't1', id)).lastUsedAt).toBeUndefined();
    await bearer(key);
    const first = (await getApiKey(deps, 't1', id)).lastUsedAt;
    expect(first).toBe('2026-12-01T10:00:00.000Z');
    advance(30_000);
    await bearer(key);
    expect((await getApiKey(deps, 't1', id)).lastUsedAt).toBe(first);
    advance(31_000);
    await bearer(key);
    expect((await getApiKey(deps, 't1', id)).lastUsedAt).toBe('2026-12-01T10:01:01.000Z');
  });

  it('rotation: the old secret keeps working for the overlap, then only the new one does', async () => {
    const { deps, bearer, refused, advance } = await fixture();
    const original = await createApiKey(deps, 't1', { name: 'k', role: 'Sync.Admin' }, ADMIN);
    const rotated = await rotateApiKey(deps, 't1', original.id, { overlapSeconds: 600 }, ADMIN);
    expect(rotated.key).not.toBe(original.key);
    expect(rotated.previousExpiresAt).toBe('2026-12-01T10:10:00.000Z');
    await bearer(original.key);
    await bearer(rotated.key);
    advance(600_001);
    await refused(original.key);
    await bearer(rotated.key);

    const again = await rotateApiKey(deps, 't1', original.id, { overlapSeconds: 0 }, ADMIN);
    await refused(rotated.key);
    await bearer(again.key);
  });

  it('revocation stops the key and any overlapping old secret at once; revoking twice is a conflict', async () => {
    const { deps, refused } = await fixture();
    const original = await createApiKey(deps, 't1', { name: 'k', role: 'Sync.Admin' }, ADMIN);
    const rotated = await rotateApiKey(deps, 't1', original.id, {}, ADMIN);
    const revoked = await revokeApiKey(deps, 't1', original.id, ADMIN);
    expect(revoked.revokedAt).toBeDefined();
    await refused(original.key);
    await refused(rotated.key);
    await expect(revokeApiKey(deps, 't1', original.id, ADMIN)).rejects.toBeInstanceOf(StateConflictError);
    await expect(rotateApiKey(deps, 't1', original.id, {}, ADMIN)).rejects.toBeInstanceOf(StateConflictError);
  });

  it('a key stored under the kind\'s old spelling (`apiKey`) is still read, listed, used, rotated and revoked', async () => {
    const { deps, bearer, refused } = await fixture();
    const created = await createApiKey(deps, 't1', { name: 'legacy', role: 'Sync.Reader' }, ADMIN);
    const stored = await deps.store.read<ApiKey>('tenants', 't1', ids.apiKey(created.id));
    expect(stored?.kind).toBe('api_key');
    await deps.store.replace<ApiKey>('tenants', { ...stored!, kind: 'apiKey' });

    expect(await getApiKey(deps, 't1', created.id)).toMatchObject({ id: created.id, name: 'legacy' });
    expect((await listApiKeys(deps, 't1', {})).items.map((key) => key.id)).toEqual([created.id]);
    await bearer(created.key);
    const rotated = await rotateApiKey(deps, 't1', created.id, { overlapSeconds: 0 }, ADMIN);
    await bearer(rotated.key);
    await revokeApiKey(deps, 't1', created.id, ADMIN);
    await refused(rotated.key);
  });

  it('an expired key, a key presented under another tenant\'s name, and a guessed secret are refused alike', async () => {
    const { deps, refused, advance } = await fixture();
    const expiring = await createApiKey(deps, 't1', { name: 'k', role: 'Sync.Admin', expiresAt: '2026-12-01T11:00:00Z' }, ADMIN);
    const [, , keyId, secret] = expiring.key.split('.');
    await refused(`ssk.t2.${keyId}.${secret}`);
    await refused(`ssk.t1.${keyId}.${'A'.repeat(43)}`);
    advance(3600_000);
    await refused(expiring.key);
  });
});
