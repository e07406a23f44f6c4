/** `rlaifv ablate`: the full method beside the paper's ablations. */
import type { Command } from 'commander';
import { ABLATION_NAMES } from '../../align/ablations.ts';
import { intFlag } from '../options.ts';

export function register(program: Command): void {
  program.command('ablate')
    .description(`run the full method and each ablation (${ABLATION_NAMES.filter((n) => n !== 'none').join(', ')}); writes ablations.json`)
    .requiredOption('--out <dir>', `folder for the ${ABLATION_NAMES.length} runs (rerun to resume)`)
    .option('--rounds <k>', 'rounds per variant', intFlag('--rounds', 1), 2)
    .option('--instructions <n>', 'instructions per round', intFlag('--instructions', 1))
    .option('--self-feedback', 'no separate labeler: the starting policy judges (see align)')
    .action(async (o) => {
      const { runAblations, formatAblations } = await import('../../align/ablate.ts');
      const rows = await runAblations({
        rounds: o.rounds, ...(o.instructions && { instructionsPerRound: o.instructions }), ...(o.selfFeedback && { selfFeedback: true }),
      }, o.out, { log: (l) => process.stderr.write(l + '\n'), progressStream: process.stderr });
      process.stdout.write(formatAblations(rows) + `\n\nwritten: ${o.out}/ablations.json\n`);
    });
}
