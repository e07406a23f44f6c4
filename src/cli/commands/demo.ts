/** `rlaifv demo`: the main job on the embedded default: the whole RLAIF-V loop with the shipped checkpoints. */
import type { Command } from 'commander';
import { parseAlignSettings } from '../../align/settings.ts';

export function register(program: Command): void {
  program.command('demo')
    .description('run RLAIF-V end to end on the embedded world with the shipped models (the align defaults) and say where the report is')
    .option('--out <dir>', 'run folder (rerun to resume)', 'runs/demo')
    .action(async (o: { out: string }) => {
      const { withRunLock } = await import('../run-lock.ts');
      await withRunLock(o.out, async () => (await import('../align-run.ts')).runAlignCommand(parseAlignSettings({}), o.out));
    });
}
