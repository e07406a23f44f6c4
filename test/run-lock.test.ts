/**
 * One writer per run folder, through the real CLI: a second process on a folder in use is refused
 * at once, a lock left by a dead process is taken over, and every command that writes a folder locks it.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const LOCK = '.rlaifv.lock';
/** Small enough to be quick, with a few pairs to compare. */
const GENERATE = ['generate', '--instructions', '12', '--n', '2'];
const COMPARED = ['candidates.jsonl', 'verdicts.jsonl', 'pairs.trl.jsonl'];

const env = () => {
  const e: NodeJS.ProcessEnv = { ...process.env, RLAIFV_PROGRESS: 'off' };
  delete e.RLAIFV_DEBUG;
  return e;
};
const rlaifv = (args: string[]) => spawnSync(process.execPath, ['bin/rlaifv.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: env() });

function start(args: string[]): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['bin/rlaifv.js', ...args], { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((done) => {
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
  return { child, exited };
}

async function until(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const root = mkdtempSync(join(tmpdir(), 'rlaifv-cli-lock-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const reference = join(root, 'reference');

before(() => {
  const r = rlaifv([...GENERATE, '--out', reference]);
  assert.equal(r.status, 0, r.stderr);
});

function assertSameOutputs(dir: string): void {
  for (const f of COMPARED) assert.equal(readFileSync(join(dir, f), 'utf8'), readFileSync(join(reference, f), 'utf8'), `${f} differs from an undisturbed run`);
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.partial') || f.startsWith(LOCK)), [], 'no partial output, lock or guard left');
}

test('a second generate on a folder in use is refused at once, naming the pid and host; the first finishes with the same outputs as alone', async () => {
  const out = join(root, 'busy');
  const first = start([...GENERATE, '--out', out]);
  await until(() => existsSync(join(out, LOCK)), 'the first run to take its lock');
  // Stopped, the first is surely still running (and alive) while the second tries.
  first.child.kill('SIGSTOP');
  try {
    const lock = JSON.parse(readFileSync(join(out, LOCK), 'utf8')) as { pid: number; host: string; command: string };
    assert.deepEqual([lock.pid, lock.host], [first.child.pid, hostname()]);
    assert.match(lock.command, /^rlaifv generate --instructions 12 --n 2 --out /);
    const t0 = Date.now();
    const second = rlaifv([...GENERATE, '--out', out]);
    const seconds = (Date.now() - t0) / 1000;
    assert.equal(second.status, 1, second.stderr);
    const lines = second.stderr.trim().split('\n');
    assert.equal(lines.length, 1, second.stderr);
    assert.match(lines[0]!, new RegExp(`^rlaifv: ${out} is in use by pid ${first.child.pid} on ${hostname()} \\(rlaifv generate [^)]*, started [^)]+\\): wait for it to finish or stop it; if no rlaifv process is writing ${out} any more, delete ${join(out, LOCK)}$`));
    assert.equal(second.stdout, '');
    assert.ok(seconds < 30, `refused after ${seconds} s`);
  } finally {
    first.child.kill('SIGCONT');
  }
  const r = await first.exited;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /preference pairs from 12 instructions written to/);
  assertSameOutputs(out);
});

test("a lock left by a process that is gone is taken over with a one-line notice, and the run completes", async () => {
  const out = join(root, 'stale');
  mkdirSync(out);
  const dead = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => dead.on('close', r));
  writeFileSync(join(out, LOCK), JSON.stringify({ pid: dead.pid, host: hostname(), command: 'rlaifv generate --out x', startedAt: '2026-01-01T00:00:00.000Z', token: 'old' }));
  const r = rlaifv([...GENERATE, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stderr.trim().split('\n').filter((l) => /lock/.test(l)), [
    `rlaifv: took over ${join(out, LOCK)}, left by pid ${dead.pid} (rlaifv generate --out x, started 2026-01-01T00:00:00.000Z), which is no longer running on ${hostname()}`,
  ]);
  assertSameOutputs(out);
});

test('a run killed by Ctrl-C, SIGTERM or even SIGKILL dies at once and its lock goes; the rerun resumes to the same outputs', async () => {
  const out = join(root, 'killed');
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
    const run = start([...GENERATE, '--out', out]);
    await until(() => existsSync(join(out, LOCK)), 'the run to take its lock');
    const t0 = Date.now();
    run.child.kill(signal);
    const r = await run.exited;
    assert.equal(r.signal, signal, `exit ${r.code}: ${r.stderr}`);
    assert.ok(Date.now() - t0 < 5000, `${signal}: the run took ${Date.now() - t0} ms to die`);
    // The releaser beside the run removes the lock once the run is gone.
    await until(() => !existsSync(join(out, LOCK)), `the lock to go after ${signal}`, 20_000);
  }
  const again = rlaifv([...GENERATE, '--out', out]);
  assert.equal(again.status, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /took over/);
  assertSameOutputs(out);
});

test('every command that writes a folder takes its lock; a lock from another host is never taken over', () => {
  const out = join(root, 'held');
  mkdirSync(out);
  // This test process is alive: its lock holds.
  const held = { pid: process.pid, host: hostname(), command: 'rlaifv align --out held', startedAt: '2026-01-01T00:00:00.000Z', token: 'held' };
  writeFileSync(join(out, LOCK), JSON.stringify(held));
  const commands = [
    [...GENERATE, '--out', out],
    ['align', '--out', out, '--rounds', '1'],
    ['demo', '--out', out],
    ['ablate', '--out', out, '--rounds', '1'],
    ['dpo', '--pairs', join(reference, 'pairs.trl.jsonl'), '--base', 'models/policy-base', '--out', out],
    ['pretrain', '--role', 'policy', '--out', out, '--steps', '1'],
  ];
  for (const args of commands) {
    const r = rlaifv(args);
    assert.equal(r.status, 1, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^rlaifv: ${out} is in use by pid ${process.pid} on ${hostname()} \\(rlaifv align --out held, started 2026-01-01T00:00:00.000Z\\)`), args[0]);
  }
  writeFileSync(join(out, LOCK), JSON.stringify({ ...held, pid: 4194305, host: 'another-host' }));
  const r = rlaifv([...GENERATE, '--out', out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^rlaifv: .* is in use by pid 4194305 on host another-host \(.*\); a lock from another host is not taken over automatically: if that process is no longer running, delete .*\.rlaifv\.lock\n$/);
  assert.deepEqual(readdirSync(out), [LOCK], 'refused runs wrote nothing');
});
