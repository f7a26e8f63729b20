import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * Schema of the embedded database. Idempotent: every statement is `IF NOT EXISTS`, so opening an
 * existing file migrates nothing twice. Times are epoch milliseconds except `docs.ts` (seconds, as
 * Cosmos `_ts`).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS docs (
  container  TEXT    NOT NULL,
  tenant_id  TEXT    NOT NULL,
  id         TEXT    NOT NULL,
  body       TEXT    NOT NULL,
  etag       TEXT    NOT NULL,
  ts         INTEGER NOT NULL,
  expires_at INTEGER,
  -- A rowid table, not WITHOUT ROWID: documents can be large (a parked page is ~100-300 KB), and
  -- large rows inside the key's B-tree made every point read several times slower.
  UNIQUE (container, tenant_id, id)
);
CREATE INDEX IF NOT EXISTS docs_expiry ON docs (expires_at) WHERE expires_at IS NOT NULL;

-- available_at: when the message may next be received (its scheduled time, or its lock expiry).
CREATE TABLE IF NOT EXISTS messages (
  seq                     INTEGER PRIMARY KEY AUTOINCREMENT,
  queue                   TEXT    NOT NULL,
  message_id              TEXT    NOT NULL,
  body                    TEXT    NOT NULL,
  properties              TEXT    NOT NULL,
  enqueued_at             INTEGER NOT NULL,
  available_at            INTEGER NOT NULL,
  delivery_count          INTEGER NOT NULL DEFAULT 0,
  lock_token              TEXT,
  dead_letter_reason      TEXT,
  dead_letter_description TEXT
);
CREATE INDEX IF NOT EXISTS messages_fifo ON messages (queue, seq);
CREATE INDEX IF NOT EXISTS messages_due ON messages (queue, available_at);
CREATE UNIQUE INDEX IF NOT EXISTS messages_lock ON messages (lock_token) WHERE lock_token IS NOT NULL;

-- Message ids seen per queue, for duplicate detection.
CREATE TABLE IF NOT EXISTS message_ids (
  queue      TEXT    NOT NULL,
  message_id TEXT    NOT NULL,
  seen_at    INTEGER NOT NULL,
  PRIMARY KEY (queue, message_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS message_ids_seen ON message_ids (seen_at);
`;

const statementObservers = new Set<(sql: string) => void>();

/**
 * Lets a benchmark see every SQL statement (parameters expanded) the databases opened from now on
 * execute: the embedded equivalent of counting requests at a database server. Returns the
 * function that stops observing. Without observers nothing is traced.
 */
export function observeStatements(listener: (sql: string) => void): () => void {
  statementObservers.add(listener);
  return () => statementObservers.delete(listener);
}

const notifyObservers = (sql: unknown) => {
  for (const observer of statementObservers) observer(String(sql));
};

/** Opens (creating if needed) the one SQLite file that holds both documents and queues. */
export function openDatabase(path: string): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, statementObservers.size > 0 ? { verbose: notifyObservers } : {});
  // First, so that switching to WAL waits for a process opening the same new file at the same time.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash may lose the last commits.
  db.pragma('synchronous = NORMAL');
  // Checkpoints copy the WAL back and fsync, and the writer that triggers one waits for the disk.
  // Rarer checkpoints each write a page changed many times once: at a million look-up documents,
  // 100,000 pages (up to 400 MB of WAL, removed when the last connection closes) waste 10% less
  // time than 10,000 (npm run bench -- dedupe).
  db.pragma('wal_autocheckpoint = 100000');
  db.exec(SCHEMA);
  return db;
}
