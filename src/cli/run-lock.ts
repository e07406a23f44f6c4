/**
 * The CLI holds a run folder's lock (`src/util/run-lock.ts`) for the whole of a command that writes
 * the folder, so a second `rlaifv` on the same `--out` is refused at once instead of corrupting the
 * run. Only the CLI takes locks: the library (`runDataEngine`, `runAlign`, ...) stays lock-free, so
 * `ablate` locks its top folder once and its `align` runs inside it take none.
 *
 * The lock goes when the command ends: on success, on an error, at exit, and on SIGINT, SIGTERM or
 * SIGHUP (then the process dies of the signal as it would have). A SIGKILL leaves it behind; the
 * next run finds its pid gone and takes it over.
 */
import { acquireRunLock } from '../util/run-lock.ts';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** `await withRunLock(o.out, () => runGenerateCommand(config, o.out))`: refused with a one-line error while another process writes `dir`. */
export async function withRunLock<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const lock = acquireRunLock(dir, {
    command: ['rlaifv', ...process.argv.slice(2)].join(' '),
    notice: (line) => process.stderr.write(`rlaifv: ${line}\n`),
  });
  const onExit = () => lock.release();
  const onSignal = (signal: NodeJS.Signals) => {
    lock.release();
    detach();
    // With no listener left, the signal's default action ends the process as if none had been installed.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const detach = () => {
    process.removeListener('exit', onExit);
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  };
  process.on('exit', onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    return await run();
  } finally {
    lock.release();
    detach();
  }
}
