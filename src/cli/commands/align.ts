/** `rlaifv align`: the iterative RLAIF-V loop with evaluation after every round. */
import type { Command } from 'commander';
import { ablationsHelp } from '../../align/ablations.ts';
import { intFlag } from '../options.ts';

export function register(program: Command): void {
  program.command('align')
    .description('run K rounds of RLAIF-V (sample -> AI feedback -> DPO -> evaluate) and write metrics.json and report.html')
    .requiredOption('--out <dir>', 'run folder (rerun with the same folder to resume)')
    .option('--config <file>', 'JSON settings (see README: rounds, instructionsPerRound, data, dpo, ...)')
    .option('--rounds <k>', 'rounds K', intFlag('--rounds', 1))
    .option('--instructions <n>', 'fresh instructions per round', intFlag('--instructions', 1))
    .option('--self-feedback', 'no separate labeler: the starting policy M_0 judges every round\'s candidates (config selfFeedbackJudge: "current" for the newest policy)')
    .option('--world-seed <s>', 'world of instructions and evaluation', intFlag('--world-seed'))
    .option('--ablation <variant>', `switch off one part of the method: ${ablationsHelp()}`)
    .option('--policy <dir>', 'starting policy checkpoint (default: shipped models/policy-base)')
    .option('--labeler <dir>', 'labeler checkpoint (default: shipped models/labeler)')
    .action(async (o) => {
      const { runAlignCommand } = await import('../align-run.ts');
      await runAlignCommand(o);
    });
}
