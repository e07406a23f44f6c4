/**
 * One writer per run folder: a lock file `DIR/.rlaifv.lock` holding who writes DIR
 * (`{"pid":4242,"host":"box","command":"rlaifv generate --out DIR","startedAt":"...","token":"..."}`).
 *
 * - Taken atomically: the JSON is written to a temp file and hard-linked to the lock's name, which
 *   fails if the name exists, so a lock is never seen half written (`open(path, 'wx')` where the
 *   file system cannot link).
 * - A lock held by a live process is never taken: the caller is refused with the holder's pid and
 *   host. Liveness is `process.kill(pid, 0)` (ESRCH: gone; EPERM: alive, another user's).
 * - A lock left by a dead process on this host is taken over. Two processes taking over the same
 *   stale lock race through a guard, `DIR/.rlaifv.lock.takeover-<token of the stale lock>`, itself
 *   such a lock: only its holder may delete the stale lock, and it checks under the guard that the
 *   lock is still the stale one. So exactly one takes over, and the other then finds the winner's
 *   live lock. A guard left by a process killed mid-takeover is stale and is taken over the same way.
 * - A lock from another host is never taken over (its pid means nothing here).
 * - `release()` deletes the lock only while it still holds this process's token; `releaseAbandoned`
 *   does the same for a dead holder, from another process, under the takeover guard.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, unlinkSync, writeFileSync, closeSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FileError, RlaifvError } from './errors.ts';

export const LOCK_FILE = '.rlaifv.lock';

/** What a lock file holds. */
export interface LockOwner {
  pid: number;
  host: string;
  /** The command line that took it, e.g. `rlaifv generate --out runs/gen`. */
  command: string;
  /** ISO time. */
  startedAt: string;
  /** Random, unique to this taking of the lock: `release()` and takeovers compare it. */
  token: string;
}

/** The folder is locked by another process (or its lock cannot be read): the message says by whom and what to do. */
export class RunLockedError extends RlaifvError {
  constructor(message: string, readonly lockFile: string, readonly holder?: LockOwner) {
    super(message);
    this.name = 'RunLockedError';
  }
}

export interface RunLockOptions {
  /** Recorded in the lock and shown to a process that is refused. */
  command: string;
  /** The lock's token (default: a fresh one, `newLockToken()`); given, a releaser can be started before the lock exists. */
  token?: string;
  /** Told one line when a stale lock is taken over. */
  notice?: (line: string) => void;
  /** How long to wait for another process that is taking over the same stale lock (ms). */
  waitMs?: number;
  /** For tests: who takes the lock, and how liveness is checked. */
  pid?: number;
  host?: string;
  isAlive?: (pid: number) => boolean;
  /** For tests: called after a stale lock was read and before the takeover starts. */
  beforeTakeover?: (stale: LockOwner) => void;
}

/** The tokens of the locks this process holds: a lock with this process's pid and another token is stale (a pid reused, as in a restarted container). */
const heldHere = new Set<string>();

/** A held lock; `release()` is idempotent, synchronous (safe in an 'exit' handler), and never deletes another process's lock. */
export class RunLock {
  private released = false;

  constructor(readonly file: string, readonly owner: LockOwner, readonly tookOverFrom: LockOwner | undefined, private readonly createdDir: string | undefined) {
    heldHere.add(owner.token);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    releaseFile(this.file, this.owner.token);
    heldHere.delete(this.owner.token);
    // A folder this lock created and nothing else wrote to goes again, so a run refused at its start leaves no trace.
    if (this.createdDir !== undefined) {
      try {
        if (readdirSync(this.createdDir).length === 0) rmdirSync(this.createdDir);
      } catch { /* gone or in use: leave it */ }
    }
  }
}

/**
 * Take the lock of run folder `dir` (created if missing) or throw a `RunLockedError` naming the
 * process that holds it. `const lock = acquireRunLock('runs/gen', { command: 'rlaifv generate --out runs/gen' }); ... lock.release();`
 */
export function acquireRunLock(dir: string, o: RunLockOptions): RunLock {
  let createdDir: string | undefined;
  try {
    createdDir = mkdirSync(dir, { recursive: true }) === undefined ? undefined : dir;
  } catch (err) {
    throw new FileError(`${dir}: cannot create the run folder: ${(err as Error).message}`);
  }
  const file = join(dir, LOCK_FILE);
  const me: LockOwner = {
    pid: o.pid ?? process.pid, host: o.host ?? hostname(), command: o.command, startedAt: new Date().toISOString(), token: o.token ?? newLockToken(),
  };
  const env: Env = { isAlive: o.isAlive ?? isProcessAlive, beforeTakeover: o.beforeTakeover };
  const deadline = Date.now() + (o.waitMs ?? 3000);
  for (;;) {
    let got: Attempt;
    try {
      got = attempt(file, me, env, 0);
    } catch (err) {
      throw new FileError(`${dir}: cannot take the run lock ${file}: ${(err as Error).message}`);
    }
    switch (got.kind) {
      case 'acquired':
        if (got.tookOverFrom) {
          o.notice?.(`took over ${file}, left by pid ${got.tookOverFrom.pid} (${got.tookOverFrom.command}, started ${got.tookOverFrom.startedAt}), which is no longer running on ${me.host}`);
        }
        return new RunLock(file, me, got.tookOverFrom, createdDir);
      case 'held':
        throw new RunLockedError(
          `${dir} is in use by pid ${got.holder.pid} on ${got.holder.host} (${got.holder.command}, started ${got.holder.startedAt}): wait for it to finish or stop it; `
          + `if no rlaifv process is writing ${dir} any more, delete ${file}`, file, got.holder);
      case 'foreign':
        throw new RunLockedError(
          `${dir} is in use by pid ${got.holder.pid} on host ${got.holder.host} (${got.holder.command}, started ${got.holder.startedAt}); a lock from another host is not taken over automatically: `
          + `if that process is no longer running, delete ${file}`, file, got.holder);
      case 'unreadable':
        throw new RunLockedError(`${file} exists but does not hold an rlaifv lock (${got.why}); if no rlaifv process is writing ${dir}, delete it and rerun`, file);
      case 'busy':
        if (Date.now() > deadline) {
          throw new RunLockedError(
            `${dir}: another process is taking over the lock left by pid ${got.stale.pid} (no longer running), or was killed doing so; `
            + `if no rlaifv process is writing ${dir}, delete ${file} and ${file}.takeover-*`, file, got.stale);
        }
        sleep(20);
    }
  }
}

/** A random token for a lock: `acquireRunLock(dir, { command, token: newLockToken() })`. */
export function newLockToken(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Remove the lock `file` if it still holds `token`, for a process that is not its holder and does
 * not want the lock: the releaser that outlives a killed run (src/cli/run-lock.ts). It goes under
 * the same guard as a takeover, so it cannot delete the lock of a process that took over meanwhile.
 * True if it removed the lock.
 */
export function releaseAbandoned(file: string, token: string, o: Pick<RunLockOptions, 'pid' | 'host' | 'isAlive'> = {}): boolean {
  const me: LockOwner = {
    pid: o.pid ?? process.pid, host: o.host ?? hostname(), command: 'rlaifv lock releaser', startedAt: new Date().toISOString(), token: newLockToken(),
  };
  const guardPath = `${file}.takeover-${token}`;
  if (attempt(guardPath, me, { isAlive: o.isAlive ?? isProcessAlive, beforeTakeover: undefined }, 1).kind !== 'acquired') return false;
  try {
    if (readLockOnce(file)?.token !== token) return false;
    unlinkSync(file);
    return true;
  } finally {
    releaseFile(guardPath, me.token);
  }
}

/** Whether a process with this pid exists on this host (EPERM: it does, under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Env {
  isAlive: (pid: number) => boolean;
  beforeTakeover: ((stale: LockOwner) => void) | undefined;
}

type Attempt =
  | { kind: 'acquired'; tookOverFrom?: LockOwner }
  | { kind: 'held' | 'foreign'; holder: LockOwner }
  | { kind: 'unreadable'; why: string }
  | { kind: 'busy'; stale: LockOwner };

/** Guards of guards: each level means a process was killed in the middle of a takeover. */
const MAX_DEPTH = 4;

/** One try at the lock file `path`, taking over a stale one; the guard of a takeover is taken by the same function. */
function attempt(path: string, me: LockOwner, env: Env, depth: number): Attempt {
  let last: LockOwner | undefined;
  // Each pass that loops saw another process change the file: it ends when they are done.
  for (let pass = 0; pass < 100; pass++) {
    if (createExclusive(path, me)) return { kind: 'acquired' };
    const holder = readLock(path);
    if (holder === undefined) continue; // released in between
    if (typeof holder === 'string') return { kind: 'unreadable', why: holder };
    if (holder.host !== me.host) return { kind: 'foreign', holder };
    const alive = holder.pid === me.pid ? heldHere.has(holder.token) : env.isAlive(holder.pid);
    if (alive) return { kind: 'held', holder };
    last = holder;
    env.beforeTakeover?.(holder);
    if (depth >= MAX_DEPTH) return { kind: 'busy', stale: holder };
    const guardPath = `${path}.takeover-${holder.token}`;
    const guard = attempt(guardPath, me, env, depth + 1);
    if (guard.kind !== 'acquired') return { kind: 'busy', stale: holder };
    try {
      // Under the guard nobody else may delete `path`; but a takeover that finished before this
      // one took the guard may have replaced the stale lock already: then start over.
      const now = readLock(path);
      if (now === undefined || typeof now === 'string' || now.token !== holder.token) continue;
      unlinkSync(path);
      if (createExclusive(path, me)) return { kind: 'acquired', tookOverFrom: holder };
      // A newcomer created it between the unlink and the link: judge its lock on the next pass.
    } finally {
      releaseFile(guardPath, me.token);
    }
  }
  return last ? { kind: 'busy', stale: last } : { kind: 'unreadable', why: 'it kept changing' };
}

/** Create `path` holding `owner` if it does not exist; false if it does. The content appears whole or not at all. */
function createExclusive(path: string, owner: LockOwner): boolean {
  const text = JSON.stringify(owner) + '\n';
  const tmp = `${path}.tmp-${owner.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, text, { flag: 'wx' });
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
    return createWithOpen(path, text); // no hard links on this file system
  } finally {
    try { unlinkSync(tmp); } catch { /* already gone */ }
  }
}

function createWithOpen(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try { writeSync(fd, text); } finally { closeSync(fd); }
  return true;
}

/** The lock at `path`: its owner, undefined if there is none, or why it cannot be read. */
function readLock(path: string): LockOwner | undefined | string {
  for (let tries = 0; ; tries++) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return (err as Error).message;
    }
    const owner = parseOwner(text);
    if (owner) return owner;
    // Written with open('wx') (no hard links here), it may be read before its content: look again.
    if (tries >= 5) return text.trim() === '' ? 'it is empty' : 'it is not the JSON of an rlaifv lock';
    sleep(10);
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    const ok = Number.isInteger(o.pid) && typeof o.host === 'string' && typeof o.command === 'string' && typeof o.startedAt === 'string' && typeof o.token === 'string' && o.token !== '';
    return ok ? (o as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

/** Delete the lock at `path` if it still holds `token`. */
function releaseFile(path: string, token: string): void {
  const owner = readLockOnce(path);
  if (owner?.token !== token) return;
  try { unlinkSync(path); } catch { /* already gone */ }
}

function readLockOnce(path: string): LockOwner | undefined {
  try {
    return parseOwner(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
