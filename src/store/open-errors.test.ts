import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreLockedError, StoreOpenError, StoreVersionError } from './errors.ts';
import { openStore } from './run-store.ts';
import { SCHEMA_VERSION } from './schema.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a file that is not SQLite is refused with what to do', (t) => {
  const path = join(tempDir(t), 'notes.txt');
  writeFileSync(path, 'these are my notes, not a database\n'.repeat(10));
  assert.throws(() => openStore(path), (e: Error) => e instanceof StoreOpenError
    && e.message.includes(`${path} is not a SQLite database`) && /pass the path of a new or existing rlaifv run store/.test(e.message));
});

test('a directory, a missing read-only store and another application\'s database are refused', (t) => {
  const dir = tempDir(t);
  assert.throws(() => openStore(dir), (e: Error) => e instanceof StoreOpenError && /is a directory; pass a file path, e\.g\. .*store\.sqlite/.test(e.message));
  assert.throws(() => openStore(join(dir, 'missing.sqlite'), { readonly: true }), /does not exist \(opened read-only\)/);
  const foreign = join(dir, 'foreign.sqlite');
  const db = new Database(foreign);
  db.exec('CREATE TABLE users (id INTEGER)');
  db.close();
  assert.throws(() => openStore(foreign), /is a SQLite database but not an rlaifv run store \(it has tables users\)/);
  const tagged = new Database(foreign);
  tagged.pragma('application_id = 42');
  tagged.close();
  assert.throws(() => openStore(foreign), /another application \(application_id 0x2a\)/);
});

test('a store from a newer schema is refused with the versions and the fix; an older one is upgraded', (t) => {
  const path = join(tempDir(t), 'store.sqlite');
  openStore(path).close();
  const raw = new Database(path);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  raw.close();
  assert.throws(() => openStore(path), (e: Error) => e instanceof StoreVersionError && e.found === SCHEMA_VERSION + 1
    && e.message.includes(`schema version ${SCHEMA_VERSION + 1}, written by a newer rlaifv; this build reads up to version ${SCHEMA_VERSION}`)
    && /Upgrade rlaifv/.test(e.message));

  // An empty SQLite file (version 0) is a new store: created, and usable.
  const fresh = join(tempDir(t), 'empty.sqlite');
  writeFileSync(fresh, '');
  const store = openStore(fresh);
  store.put('k', 1);
  store.close();
  const check = new Database(fresh);
  assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  check.close();
});

test('a store locked by another process gives StoreLockedError after the busy timeout', (t) => {
  const path = join(tempDir(t), 'store.sqlite');
  const store = openStore(path, { busyTimeoutMs: 50 });
  const other = new Database(path);
  other.exec('BEGIN IMMEDIATE'); // another writer holds the lock
  const started = Date.now();
  assert.throws(() => store.put('k', 1, 'sample'), (e: Error) => e instanceof StoreLockedError && e.retryable
    && e.message.includes(`run store ${path} is locked by another process`) && /writing 1 results of stage 'sample'/.test(e.message)
    && /give this run its own store path/.test(e.message));
  assert.ok(Date.now() - started >= 40, 'did not wait for the busy timeout');
  other.exec('ROLLBACK');
  store.put('k', 1, 'sample'); // works once the lock is gone
  assert.equal(store.get('k'), 1);
  other.close();
  store.close();
});
