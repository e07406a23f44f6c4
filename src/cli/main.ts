/**
 * The `rlaifv` command line. Each command lives in its own file under commands/ and is loaded
 * only when it runs, so `rlaifv --help` starts fast and one command's dependencies never slow another.
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './registry.ts';
import { loadSchemaFlags } from './schema-flags.ts';
import { RlaifvError } from '../util/errors.ts';
import { loadSettings } from '../settings.ts';

export async function main(argv: string[]): Promise<void> {
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
    // A typed error (RlaifvError and its subclasses) already says what went wrong and what to do:
    // one line. Anything else is a bug, and keeps its stack.
    if (err instanceof RlaifvError && !loadSettings().debug) {
      process.stderr.write(`rlaifv: ${err.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
}
