/**
 * Typed errors of the run store. Each says which store file, what went wrong and what to do;
 * `sqliteCode` keeps SQLite's own code for whoever needs it.
 */
import { RlaifvError } from '../util/errors.ts';

export interface StoreErrorOptions {
  /** SQLite's code, e.g. `SQLITE_BUSY`. */
  code?: string;
  cause?: unknown;
}

export class StoreError extends RlaifvError {
  readonly sqliteCode?: string;
  constructor(message: string, readonly path: string, options: StoreErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'StoreError';
    if (options.code !== undefined) this.sqliteCode = options.code;
  }
}

/** The file exists but is not an rlaifv run store (not SQLite, a directory, another app's database). */
export class StoreOpenError extends StoreError {
  constructor(message: string, path: string, options: StoreErrorOptions = {}) {
    super(message, path, options);
    this.name = 'StoreOpenError';
  }
}

/** Another process holds the write lock for longer than the busy timeout. Retrying later can work. */
export class StoreLockedError extends StoreError {
  readonly retryable = true;
  constructor(message: string, path: string, options: StoreErrorOptions = {}) {
    super(message, path, options);
    this.name = 'StoreLockedError';
  }
}

/** The store was written by a newer schema than this build reads (or an older one, opened read-only). */
export class StoreVersionError extends StoreError {
  constructor(message: string, path: string, readonly found: number, readonly supported: number) {
    super(message, path);
    this.name = 'StoreVersionError';
  }
}

/**
 * Turn a better-sqlite3 error met while doing `doing` on the store at `path` into a typed error
 * that says what to do; anything else passes through unchanged.
 *
 * `throw toStoreError(err, 'runs/a.sqlite', 'writing 8 results of stage label')`
 */
export function toStoreError(err: unknown, path: string, doing: string): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return err;
  const cause = (err as Error).message;
  const opts = { code, cause: err };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreLockedError(
      `run store ${path} is locked by another process (${cause}) while ${doing}. Is another rlaifv run using the same store? `
      + 'Wait for it to finish or stop it, raise the store busy timeout, or give this run its own store path.', path, opts);
  }
  if (code === 'SQLITE_NOTADB') {
    return new StoreOpenError(`${path} is not a SQLite database (${cause}) while ${doing}; `
      + 'pass the path of a new or existing rlaifv run store (e.g. runs/my-run/store.sqlite)', path, opts);
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new StoreOpenError(`run store ${path} is corrupt (${cause}) while ${doing}; `
      + 'move it aside and start a fresh store (finished results in it are lost), or try `sqlite3 <file> .recover`', path, opts);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new StoreOpenError(`cannot open run store ${path} (${cause}) while ${doing}; `
      + 'the path must be a file (not a directory) in a directory you can write to', path, opts);
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new StoreError(`run store ${path} is read-only (${cause}) while ${doing}; check the file's permissions, `
      + 'or open it with readonly: false', path, opts);
  }
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) {
    return new StoreError(`run store ${path}: disk error (${cause}) while ${doing}; free disk space and resume the run`, path, opts);
  }
  return new StoreError(`run store ${path}: ${cause} (${code}) while ${doing}`, path, opts);
}
