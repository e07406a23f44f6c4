/**
 * The `rlaifv` command line. Each command lives in its own file under commands/ and is loaded
 * only when it runs, so `rlaifv --help` starts fast and one command's dependencies never slow another.
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './registry.ts';
import { describeError } from './report-error.ts';
import { loadSchemaFlags } from './schema-flags.ts';
import { loadSettings } from '../settings.ts';

export async function main(argv: string[]): Promise<void> {
  installProcessHandlers();
  const program = new Command('rlaifv')
    .description('RLAIF-V: align vision-language models with open-source AI feedback')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const spec of COMMANDS) spec.register(program);
  // A command's schema flags load only when it runs, so that listing the commands loads none of them.
  program.hook('preSubcommand', (_program, command) => loadSchemaFlags(command));
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    // Every error prints one line (a typed one says what to do; anything else is a bug) and sets the exit status.
    report(err);
  }
}

function report(err: unknown): void {
  const { text, exitCode } = describeError(err, debugMode());
  process.stderr.write(text);
  process.exitCode = exitCode;
}

/** RLAIFV_DEBUG, read where the environment is read; a bad RLAIFV_PROGRESS must not hide the error being reported. */
function debugMode(): boolean {
  try {
    return loadSettings().debug;
  } catch {
    return false;
  }
}

let installed = false;

/**
 * An error thrown outside the command's own await (a stray callback, a promise nobody awaited)
 * is reported the same way, and the process ends: its state is unknown. `process.exit` runs the
 * 'exit' handlers, so a run folder's lock is released.
 */
function installProcessHandlers(): void {
  if (installed) return;
  installed = true;
  const fatal = (err: unknown) => {
    report(err);
    process.exit();
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}
