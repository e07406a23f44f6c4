/**
 * The run store's tables and their versions. `PRAGMA user_version` holds the schema version and
 * `PRAGMA application_id` marks the file as an rlaifv store, so a foreign SQLite file is refused
 * instead of being written into. To change the schema, append a migration; never edit one that shipped.
 */
import type Database from 'better-sqlite3';
import { StoreOpenError, StoreVersionError } from './errors.ts';

/** 'RLAV' in ASCII: the SQLite header field that says which application owns a database file. */
const APPLICATION_ID = 0x524c4156;

/** `MIGRATIONS[i]` brings a store from schema version i to i + 1. */
const MIGRATIONS: readonly string[] = [
  `
  -- Content-addressed results: key = sha256(stage, model, settings, input), value = result JSON.
  CREATE TABLE results (
    key TEXT PRIMARY KEY,
    stage TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX results_by_stage ON results (stage);

  -- Stages (per iteration round) that finished; a resumed run skips them.
  CREATE TABLE stages (
    stage TEXT NOT NULL,
    round INTEGER NOT NULL,
    done_at INTEGER NOT NULL,
    info TEXT,
    PRIMARY KEY (stage, round)
  ) WITHOUT ROWID;

  -- One row per invocation (first start and every resume): which config and build ran, and whether it finished.
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    status TEXT NOT NULL DEFAULT 'running',
    version TEXT NOT NULL,
    config TEXT NOT NULL
  );

  -- Time series, e.g. per-step DPO metrics; (run, name, step) is unique so a resumed trainer overwrites.
  CREATE TABLE metrics (
    run TEXT NOT NULL,
    name TEXT NOT NULL,
    step INTEGER NOT NULL,
    value REAL,
    at INTEGER NOT NULL,
    PRIMARY KEY (run, name, step)
  ) WITHOUT ROWID;
  `,
];

/** The schema version this build writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Check that `db` is an rlaifv store this build can read, creating or upgrading its tables
 * (unless `readonly`). Migrations run in one immediate transaction, so two processes opening a
 * new store at once do not both create it.
 */
export function migrate(db: Database.Database, path: string, readonly: boolean): void {
  checkOwner(db, path);
  const found = userVersion(db);
  if (found > SCHEMA_VERSION) {
    throw new StoreVersionError(
      `run store ${path} has schema version ${found}, written by a newer rlaifv; this build reads up to version `
      + `${SCHEMA_VERSION}. Upgrade rlaifv to resume this run, or give this run a new store path.`, path, found, SCHEMA_VERSION);
  }
  if (found === SCHEMA_VERSION) return;
  if (readonly) {
    throw new StoreVersionError(
      `run store ${path} has schema version ${found}, older than this build's ${SCHEMA_VERSION}, and was opened read-only; `
      + 'open it once read-write to upgrade it.', path, found, SCHEMA_VERSION);
  }
  db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated while we waited for it.
    checkOwner(db, path);
    for (let v = userVersion(db); v < SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
  }).immediate();
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function checkOwner(db: Database.Database, path: string): void {
  const id = db.pragma('application_id', { simple: true }) as number;
  if (id === APPLICATION_ID) return;
  if (id !== 0) {
    throw new StoreOpenError(`${path} is a SQLite database of another application (application_id 0x${(id >>> 0).toString(16)}), `
      + 'not an rlaifv run store; pass a new path for the run store', path);
  }
  const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name LIMIT 5`).pluck().all() as string[];
  if (tables.length > 0) {
    throw new StoreOpenError(`${path} is a SQLite database but not an rlaifv run store (it has tables ${tables.join(', ')}); `
      + 'pass a new path for the run store', path);
  }
}
