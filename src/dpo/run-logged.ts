/**
 * Run an external command with its stdout and stderr appended to a log file (a training run
 * prints for hours; keeping it in memory would not do), failing with an error that names the
 * command, the exit status and the log, and quotes the log's last lines.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RlaifvError } from '../util/errors.ts';

export interface RunLoggedOptions {
  /** The log file; appended to, so a rerun keeps the earlier attempt above it. */
  logFile: string;
  cwd?: string;
  /** Environment of the command; default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Run `argv[0]` through `/bin/sh -c` (argv must then be one shell line). */
  shell?: boolean;
  /** Kill the command after this many milliseconds (0 = never). */
  timeoutMs?: number;
  /**
   * Where the running command's pid is kept. A run killed with -9 leaves its command running as
   * an orphan; the next run with the same pidFile stops it (and its children) before starting
   * again, so that two trainers never write one output folder.
   */
  pidFile?: string;
}

class CommandError extends RlaifvError {
  constructor(message: string, readonly logFile: string, readonly exitCode: number | null) {
    super(message);
    this.name = 'CommandError';
  }
}

/**
 * Run to completion; resolves when the command exits 0.
 * `await runLogged(['python', 'train.py', '--out', dir], { logFile: `${dir}.log` })`
 */
export async function runLogged(argv: readonly string[], o: RunLoggedOptions): Promise<void> {
  if (argv.length === 0) throw new Error('runLogged: empty command');
  mkdirSync(dirname(o.logFile), { recursive: true });
  const shown = o.shell ? argv[0]! : argv.map((a) => (/[\s'"]/.test(a) ? JSON.stringify(a) : a)).join(' ');
  // Appended synchronously: a run killed as the command starts still logs that it started.
  if (o.pidFile) await stopOrphan(o.pidFile, (line) => appendFileSync(o.logFile, line + '\n'));
  appendFileSync(o.logFile, `$ ${shown}\n`);
  // The command writes to the log file itself, not through a pipe to this process: a trainer left
  // running by a killed run would die at its next print on a pipe with no reader (a Python trainer
  // perhaps while saving a checkpoint), and it is stopped cleanly by the next run instead.
  const fd = openSync(o.logFile, 'a');
  const [file, args] = o.shell ? ['/bin/sh', ['-c', argv[0]!]] : [argv[0]!, argv.slice(1)];
  const status = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    const child = spawn(file, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', fd, fd] });
    if (o.pidFile && child.pid !== undefined) writeFileSync(o.pidFile, JSON.stringify({ pid: child.pid, start: startTime(child.pid) }) + '\n');
    const timer = o.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), o.timeoutMs) : undefined;
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal });
    });
  });
  closeSync(fd);
  if (o.pidFile) rmSync(o.pidFile, { force: true });
  if (status.error) {
    const hint = (status.error as NodeJS.ErrnoException).code === 'ENOENT' ? ` (is '${file}' installed and on PATH?)` : '';
    throw new CommandError(`command failed to start: ${shown}: ${status.error.message}${hint}; log: ${o.logFile}`, o.logFile, null);
  }
  if (status.code !== 0) {
    const how = status.signal ? `was killed by ${status.signal}` : `exited with status ${status.code}`;
    throw new CommandError(`command ${how}: ${shown}\nlog: ${o.logFile}\n${tail(o.logFile, 15)}`, o.logFile, status.code);
  }
}

/** The last `n` lines of a file, indented, for an error message. */
function tail(path: string, n: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-n).map((l) => `  | ${l}`).join('\n');
  } catch {
    return '';
  }
}

/** Stop the command a killed run left running (recorded in `pidFile`), with every process under it. */
async function stopOrphan(pidFile: string, note: (line: string) => void): Promise<void> {
  if (!existsSync(pidFile)) return;
  let recorded: { pid: number; start: string | null };
  try {
    recorded = JSON.parse(readFileSync(pidFile, 'utf8'));
  } catch {
    return rmSync(pidFile, { force: true });
  }
  // The start time tells the orphan from an unrelated process that got its pid since.
  if (startTime(recorded.pid) === null || startTime(recorded.pid) !== recorded.start) return rmSync(pidFile, { force: true });
  const tree = [recorded.pid, ...descendants(recorded.pid)];
  note(`# stopping the command a killed run left running (pids ${tree.join(' ')})`);
  for (const pid of tree) signal(pid, 'SIGTERM');
  for (let waited = 0; waited < 10_000 && tree.some(alive); waited += 100) await new Promise((r) => setTimeout(r, 100));
  for (const pid of tree.filter(alive)) signal(pid, 'SIGKILL');
  rmSync(pidFile, { force: true });
}

/** A process's start time (clock ticks after boot, /proc/PID/stat field 22); null when it is gone or unknowable. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Every process whose ancestry leads to `root`, read from /proc. */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch { /* exited meanwhile */ }
    }
  } catch {
    return [];
  }
  const found: number[] = [];
  const frontier = [root];
  while (frontier.length) {
    const p = frontier.pop()!;
    for (const [child, pp] of parent) if (pp === p) { found.push(child); frontier.push(child); }
  }
  return found;
}

/**
 * Whether `pid` still runs. A zombie does not: a stopped orphan stays one until pid 1 reaps it,
 * which a container's pid 1 may do late (measured: 1.5 s) or never, and waiting for it to go would
 * wait up to the whole grace period.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch { /* already gone */ }
}
