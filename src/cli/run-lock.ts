/**
 * The CLI holds a run folder's lock (`src/util/run-lock.ts`) for the whole of a command that writes
 * the folder, so a second `rlaifv` on the same `--out` is refused at once instead of corrupting the
 * run. Only the CLI takes locks: the library (`runDataEngine`, `runAlign`, ...) stays lock-free, so
 * `ablate` locks its top folder once and its `align` runs inside it take none.
 *
 * The lock goes when the command ends: on success, on an error, at `process.exit`, and when the
 * process is killed. For the last, no signal handler: training and evaluation run synchronously for
 * up to a minute between turns of the event loop (measured: 45 s in `pretrain`), and a handler
 * would hold Ctrl-C back that long. Instead a small releaser process, started beside the run, waits
 * for the end of a pipe from it; the kernel closes the pipe however the run dies (Ctrl-C, SIGTERM,
 * SIGKILL, out of memory), and the releaser then removes the lock if it is still the run's. Should
 * the releaser not run, the next command finds the lock's pid gone and takes it over.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { acquireRunLock, LOCK_FILE, newLockToken, type RunLock } from '../util/run-lock.ts';

/** `await withRunLock(o.out, () => runGenerateCommand(config, o.out))`: refused with a one-line error while another process writes `dir`. */
export async function withRunLock<T>(dir: string, run: () => Promise<T>): Promise<T> {
  // The releaser starts before the lock exists, so that there is no moment when a kill leaves the lock behind.
  const token = newLockToken();
  const releaser = startReleaser(join(dir, LOCK_FILE), token);
  let lock: RunLock;
  try {
    lock = acquireRunLock(dir, {
      command: ['rlaifv', ...process.argv.slice(2)].join(' '),
      token,
      notice: (line) => process.stderr.write(`rlaifv: ${line}\n`),
    });
  } catch (err) {
    releaser?.stdin?.end();
    throw err;
  }
  const onExit = () => lock.release();
  process.on('exit', onExit);
  try {
    return await run();
  } finally {
    lock.release();
    process.removeListener('exit', onExit);
    releaser?.stdin?.end();
  }
}

/**
 * The releaser: a node of its own (in its own session, so Ctrl-C in the terminal does not stop it
 * too) that loads the lock module, then reads its stdin until the end and removes the lock if it
 * still holds the run's token. A run that ends normally has removed it already.
 */
const RELEASER = `
const [tsxApi, lockModule, file, token] = process.argv.slice(1);
const { register } = await import(tsxApi);
register();
const { releaseAbandoned } = await import(lockModule);
const done = () => { try { releaseAbandoned(file, token); } finally { process.exit(0); } };
process.stdin.on('end', done);
process.stdin.on('error', done);
process.stdin.resume();
`;

function startReleaser(file: string, token: string): ChildProcess | undefined {
  try {
    const child = spawn(process.execPath, [
      '--input-type=module', '-e', RELEASER,
      import.meta.resolve('tsx/esm/api'), new URL('../util/run-lock.ts', import.meta.url).href, file, token,
    ], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    // Without a releaser a killed run leaves its lock to be taken over: not worth failing the run for.
    child.on('error', () => {});
    child.stdin!.on('error', () => {});
    // Neither the child nor the pipe keeps this process running.
    child.unref();
    (child.stdin as unknown as Socket).unref();
    return child;
  } catch {
    return undefined;
  }
}
