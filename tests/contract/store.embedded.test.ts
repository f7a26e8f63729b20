import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../shared/adapters/embedded/sqliteDatabase.js';
import { SqliteStore } from '../../shared/adapters/embedded/sqliteStore.js';
import { systemClock } from '../../shared/ports/clock.js';
import { describeStoreContract } from './storeContract.js';

describeStoreContract('SqliteStore (:memory:)', async () => {
  const db = openDatabase(':memory:');
  return { store: new SqliteStore(db, systemClock), close: async () => void db.close() };
});

describe('SqliteStore housekeeping', () => {
  it('purgeExpired deletes only expired documents', async () => {
    const db = openDatabase(':memory:');
    let now = Date.parse('2030-01-01T00:00:00Z');
    const store = new SqliteStore(db, { now: () => new Date(now) });
    await store.create('pages', { id: 'short', tenantId: 't', ttl: 60 });
    await store.create('pages', { id: 'long', tenantId: 't', ttl: 3600 });
    await store.create('pages', { id: 'forever', tenantId: 't' });
    now += 61_000;

    expect(await store.purgeExpired()).toBe(1);
    expect(await store.purgeExpired()).toBe(0);
    const rows = db.prepare('SELECT id FROM docs ORDER BY id').pluck().all();
    expect(rows).toEqual(['forever', 'long']);
    db.close();
  });

  it('an increment restarts the ttl countdown, as a Cosmos patch does', async () => {
    const db = openDatabase(':memory:');
    let now = Date.parse('2030-01-01T00:00:00Z');
    const store = new SqliteStore(db, { now: () => new Date(now) });
    await store.create('pages', { id: 'lease', tenantId: 't', ttl: 60 });
    now += 50_000;
    await store.increment('pages', 't', 'lease', { beats: 1 });
    now += 50_000;
    expect(await store.read('pages', 't', 'lease')).toMatchObject({ beats: 1 });
    now += 11_000;
    expect(await store.read('pages', 't', 'lease')).toBeUndefined();
    db.close();
  });
});
