/** `rlaifv demo`: the main job on the embedded default: the whole RLAIF-V loop with the shipped checkpoints. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program.command('demo')
    .description('run RLAIF-V end to end on the embedded world with the shipped models (the align defaults) and say where the report is')
    .option('--out <dir>', 'run folder (rerun to resume)', 'runs/demo')
    .action(async (o) => {
      const { runAlignCommand } = await import('../align-run.ts');
      await runAlignCommand({ out: o.out });
    });
}
