/**
 * Run an external command with its stdout and stderr streamed into a log file (a training run
 * prints for hours; keeping it in memory would not do), failing with an error that names the
 * command, the exit status and the log, and quotes the log's last lines.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
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
  const log = createWriteStream(o.logFile, { flags: 'a' });
  const shown = o.shell ? argv[0]! : argv.map((a) => (/[\s'"]/.test(a) ? JSON.stringify(a) : a)).join(' ');
  log.write(`$ ${shown}\n`);
  const [file, args] = o.shell ? ['/bin/sh', ['-c', argv[0]!]] : [argv[0]!, argv.slice(1)];
  const status = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    const child = spawn(file, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const timer = o.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), o.timeoutMs) : undefined;
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal });
    });
  });
  await new Promise<void>((resolve) => log.end(resolve));
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
