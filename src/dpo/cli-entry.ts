/**
 * `node --import tsx src/dpo/cli-entry.ts dpo --pairs ... --base ... --out ...`: the `rlaifv dpo`
 * command on its own, for external-trainer tests and for use before the command is registered in
 * src/cli/registry.ts. Once registered, `node bin/rlaifv.js dpo ...` is the same thing.
 */
import { Command } from 'commander';
import { register } from '../cli/commands/dpo.ts';

const program = new Command('rlaifv').exitOverride();
register(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if ((err as { code?: string }).code?.startsWith('commander.')) process.exitCode = (err as { exitCode?: number }).exitCode ?? 1;
  else {
    process.stderr.write(`rlaifv: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
