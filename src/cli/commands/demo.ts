/** `rlaifv demo`: the main job on the embedded default, with the shipped checkpoints. */
import type { Command } from 'commander';
import { intFlag } from '../options.ts';

export function register(program: Command): void {
  program.command('demo')
    .description('run the main job on the embedded world with the shipped models and say where the results are')
    .option('--out <dir>', 'output folder', 'runs/demo')
    .option('--limit <n>', 'test scenes to evaluate', intFlag('--limit', 1), 150)
    .action(async (o) => {
      const { runDemo } = await import('../../demo/run.ts');
      await runDemo({ out: o.out, limit: o.limit });
    });
}
