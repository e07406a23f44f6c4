import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireRunLock, LOCK_FILE, releaseAbandoned, RunLockedError, type LockOwner, type RunLockOptions } from './run-lock.ts';

const HOST = 'box';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-lock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Processes `live` are alive, every other pid is gone. */
function as(pid: number, live: number[], extra: Partial<RunLockOptions> = {}): RunLockOptions {
  return { command: `cmd-${pid}`, pid, host: HOST, isAlive: (p) => live.includes(p), ...extra };
}

function writeLock(dir: string, owner: Partial<LockOwner>, name = LOCK_FILE): LockOwner {
  const full: LockOwner = { pid: 1, host: HOST, command: 'rlaifv generate --out x', startedAt: '2026-01-01T00:00:00.000Z', token: `t${owner.pid ?? 1}`, ...owner };
  writeFileSync(join(dir, name), JSON.stringify(full));
  return full;
}

const lockOf = (dir: string) => JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockOwner;

test('a lock is taken, refused to a live second process with its pid and host, and released', (t) => {
  const dir = tempDir(t);
  const a = acquireRunLock(dir, as(100, [100, 200]));
  assert.deepEqual([lockOf(dir).pid, lockOf(dir).host, lockOf(dir).command], [100, HOST, 'cmd-100']);
  assert.throws(() => acquireRunLock(dir, as(200, [100, 200])), (err: Error) => {
    assert.ok(err instanceof RunLockedError);
    assert.match(err.message, /in use by pid 100 on box \(cmd-100, started .*\): wait for it to finish or stop it; .*delete .*\.rlaifv\.lock/);
    assert.doesNotMatch(err.message, /\n/);
    return true;
  });
  a.release();
  assert.ok(!existsSync(join(dir, LOCK_FILE)));
  const b = acquireRunLock(dir, as(200, [100, 200]));
  assert.equal(lockOf(dir).pid, 200);
  a.release(); // releasing twice, after another took the lock, leaves that lock alone
  assert.equal(lockOf(dir).pid, 200);
  b.release();
  assert.deepEqual(readdirSync(dir), []);
});

test('release never removes a lock this process does not own', (t) => {
  const dir = tempDir(t);
  const a = acquireRunLock(dir, as(100, [100]));
  writeLock(dir, { pid: 300, token: 'other' }); // someone replaced it by hand
  a.release();
  assert.equal(lockOf(dir).token, 'other');
});

test("a dead process's lock is taken over with a notice; another host's lock never is", (t) => {
  const dir = tempDir(t);
  writeLock(dir, { pid: 111, command: 'rlaifv dpo --out x' });
  const notices: string[] = [];
  const lock = acquireRunLock(dir, as(200, [200], { notice: (l) => notices.push(l) }));
  assert.equal(lockOf(dir).pid, 200);
  assert.equal(notices.length, 1);
  assert.match(notices[0]!, /took over .*\.rlaifv\.lock, left by pid 111 \(rlaifv dpo --out x, started 2026-01-01T00:00:00.000Z\), which is no longer running on box/);
  assert.equal(lock.tookOverFrom?.pid, 111);
  lock.release();
  assert.deepEqual(readdirSync(dir), [], 'no guard or temp file left');

  writeLock(dir, { pid: 111, host: 'elsewhere' });
  assert.throws(() => acquireRunLock(dir, as(200, [200])), /in use by pid 111 on host elsewhere .*another host is not taken over automatically: if that process is no longer running, delete/);
  assert.equal(lockOf(dir).host, 'elsewhere');
});

test('a lock with this process\'s pid that it does not hold is stale (a pid reused, as in a restarted container)', (t) => {
  const dir = tempDir(t);
  writeLock(dir, { pid: 200, token: 'from-an-earlier-life' });
  const lock = acquireRunLock(dir, as(200, [200]));
  assert.equal(lockOf(dir).token, lock.owner.token);
  // The same process asking again for a lock it holds is refused, not handed a second copy.
  assert.throws(() => acquireRunLock(dir, as(200, [200])), /in use by pid 200/);
  lock.release();
});

test('two takeovers of one stale lock: the one that read it first and acts second finds the winner and is refused', (t) => {
  const dir = tempDir(t);
  writeLock(dir, { pid: 111 });
  let winner: ReturnType<typeof acquireRunLock> | undefined;
  // A has read the stale lock; before it acts, B takes it over entirely.
  const attempt = () => acquireRunLock(dir, as(100, [100, 200], {
    beforeTakeover: () => { winner ??= acquireRunLock(dir, as(200, [100, 200])); },
  }));
  assert.throws(attempt, /in use by pid 200/);
  assert.equal(lockOf(dir).pid, 200);
  assert.equal(lockOf(dir).token, winner!.owner.token);
  winner!.release();
  assert.deepEqual(readdirSync(dir), []);
});

test('a takeover guard left by a process killed mid-takeover is itself taken over', (t) => {
  const dir = tempDir(t);
  const stale = writeLock(dir, { pid: 111 });
  writeLock(dir, { pid: 112, token: 'guard' }, `${LOCK_FILE}.takeover-${stale.token}`);
  const lock = acquireRunLock(dir, as(200, [200]));
  assert.equal(lockOf(dir).pid, 200);
  lock.release();
  assert.deepEqual(readdirSync(dir), []);
});

test('a takeover in progress by a live process makes others wait, then refuse naming the stale lock', (t) => {
  const dir = tempDir(t);
  const stale = writeLock(dir, { pid: 111 });
  writeLock(dir, { pid: 300, token: 'guard' }, `${LOCK_FILE}.takeover-${stale.token}`);
  const t0 = Date.now();
  assert.throws(() => acquireRunLock(dir, as(200, [200, 300], { waitMs: 100 })), /another process is taking over the lock left by pid 111/);
  assert.ok(Date.now() - t0 >= 100);
});

test("the releaser of a dead run removes its lock, never another's, and waits its turn behind a takeover", (t) => {
  const dir = tempDir(t);
  const lock = acquireRunLock(dir, as(100, [100]));
  assert.equal(releaseAbandoned(lock.file, 'not-its-token', as(300, [])), false);
  assert.equal(lockOf(dir).pid, 100);
  // A takeover of the same dead run's lock is under way (its guard is held by a live process): not now.
  writeLock(dir, { pid: 400, token: 'guard' }, `${LOCK_FILE}.takeover-${lock.owner.token}`);
  assert.equal(releaseAbandoned(lock.file, lock.owner.token, as(300, [400])), false);
  assert.equal(lockOf(dir).pid, 100);
  rmSync(join(dir, `${LOCK_FILE}.takeover-${lock.owner.token}`));
  assert.equal(releaseAbandoned(lock.file, lock.owner.token, as(300, [])), true);
  assert.deepEqual(readdirSync(dir), []);
  lock.release();
});

test('an unreadable lock file is not taken over', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, LOCK_FILE), 'hello');
  assert.throws(() => acquireRunLock(dir, as(200, [200])), /\.rlaifv\.lock exists but does not hold an rlaifv lock \(it is not the JSON of an rlaifv lock\); if no rlaifv process is writing .*, delete it/);
});

test('a folder the lock created is removed on release if nothing was written to it', (t) => {
  const dir = join(tempDir(t), 'new');
  acquireRunLock(dir, as(200, [200])).release();
  assert.ok(!existsSync(dir));
  const lock = acquireRunLock(dir, as(200, [200]));
  writeFileSync(join(dir, 'out.txt'), 'x');
  lock.release();
  assert.deepEqual(readdirSync(dir), ['out.txt']);
});

test('a folder that cannot be created is a one-line FileError', (t) => {
  const file = join(tempDir(t), 'file');
  writeFileSync(file, '');
  assert.throws(() => acquireRunLock(join(file, 'run'), as(200, [200])), { name: 'FileError', message: /cannot create the run folder/ });
});

test('real processes racing to take over one stale lock: exactly one wins', async (t) => {
  const dir = tempDir(t);
  const go = join(tempDir(t), 'go');
  const done = `${go}-done`;
  // pid 2**22 + 1 is above the largest pid_max Linux allows: no such process.
  writeLock(dir, { pid: 4194305, host: hostname(), token: 'stale' });
  // Each racer waits for the go file, then tries; the winner holds the lock until every racer has answered.
  const script = `
    import { existsSync } from 'node:fs';
    import { acquireRunLock } from ${JSON.stringify(new URL('./run-lock.ts', import.meta.url).href)};
    const nap = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    process.stdout.write('ready\\n');
    while (!existsSync(${JSON.stringify(go)})) nap(1);
    try {
      // The nap between reading the stale lock and acting on it widens the window a careless takeover loses in.
      const lock = acquireRunLock(${JSON.stringify(dir)}, { command: 'racer', notice: () => {}, beforeTakeover: () => nap(30) });
      process.stdout.write('won\\n');
      for (let i = 0; i < 30000 && !existsSync(${JSON.stringify(done)}); i++) nap(1);
      lock.release();
    } catch (err) {
      process.stdout.write(err.name === 'RunLockedError' ? 'refused\\n' : 'error ' + err.message + '\\n');
    }`;
  const n = 5;
  const lines: string[][] = Array.from({ length: n }, () => []);
  const answered = (k: number) => lines.filter((l) => l.length >= k).length;
  let wake = () => {};
  const exits = Array.from({ length: n }, (_, i) => new Promise<void>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d: Buffer) => { lines[i]!.push(...d.toString().trim().split('\n')); wake(); });
    child.on('close', () => resolve());
  }));
  const until = (cond: () => boolean) => new Promise<void>((resolve) => { wake = () => { if (cond()) resolve(); }; wake(); });
  await until(() => answered(1) === n);
  writeFileSync(go, '');
  await until(() => answered(2) === n);
  writeFileSync(done, '');
  await Promise.all(exits);
  const results = lines.map((l) => l[1]);
  assert.equal(results.filter((r) => r === 'won').length, 1, results.join(', '));
  assert.equal(results.filter((r) => r === 'refused').length, n - 1, results.join(', '));
  assert.deepEqual(readdirSync(dir), [], 'the winner released its lock; no guard or temp file left');
});
