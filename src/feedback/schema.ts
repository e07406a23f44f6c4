/**
 * The feedback store's tables. `events` is the log: triggers refuse any UPDATE or DELETE on it, so
 * nothing a person said is ever overwritten (the views fold it, the last event per target winning).
 * Invite and session tokens are kept only as SHA-256 hex: a copy of the file lets no one in.
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { FeedbackError } from './errors.ts';

export const SCHEMA_VERSION = 1;

const TABLES = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS people (
  n INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('annotator', 'admin')),
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS invites (
  token_hash TEXT PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES people(id),
  created_at TEXT NOT NULL,
  used_at TEXT,
  revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES people(id),
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS sessions_person ON sessions(person_id);
CREATE INDEX IF NOT EXISTS invites_person ON invites(person_id);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id TEXT NOT NULL REFERENCES people(id),
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_person ON events(person_id, seq);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'feedback events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'feedback events are append-only'); END;
`;

/** Creates the tables and the server secret if missing; true when this call created the store. */
export function migrate(db: Database.Database, path: string): boolean {
  return db.transaction(() => {
    db.exec(TABLES);
    const version = db.prepare(`SELECT value FROM meta WHERE key = 'schema'`).pluck().get() as string | undefined;
    if (version === undefined) {
      db.prepare(`INSERT INTO meta (key, value) VALUES ('schema', ?), ('secret', ?)`).run(String(SCHEMA_VERSION), randomBytes(32));
      return true;
    }
    checkVersion(version, path);
    return false;
  }).immediate();
}

export function checkVersion(version: string | undefined, path: string): void {
  if (version !== String(SCHEMA_VERSION)) {
    throw new FeedbackError(`${path}: feedback store schema ${String(version)}, this build reads ${SCHEMA_VERSION}; use the rlaifv that wrote it, or export it with that one`);
  }
}
