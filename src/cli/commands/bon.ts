/** `rlaifv bon`: best-of-N with the RLAIF-V reward, the curve of every selector against N. */
import type { Command } from 'commander';
import { intFlag, numberFlag } from '../options.ts';
import type { BonFlags } from '../bon-run.ts';

export function register(program: Command): void {
  program.command('bon')
    .description('best-of-N: sample N answers, pick by the aligned model\'s length-normalised DPO reward (and the baselines), and plot hallucination against N')
    .requiredOption('--policy <dir|url>', 'the aligned model (π): checkpoint folder or server base URL')
    .requiredOption('--reference <dir|url>', 'the model it was trained from (π_ref); also the default sampler, as in the paper')
    .option('--sampler <dir|url>', 'where the N candidates come from (default: the reference)')
    .requiredOption('--out <dir>', 'run folder (rerun to resume; a finished run replays with no call)')
    .option('--n <list>', 'the N of the curve; the largest is sampled once, smaller N are its prefixes', (v: string) => v.split(',').map((x) => intFlag('--n', 1)(x.trim())), [1, 2, 4, 8, 16, 32, 64])
    .option('--temperature <t>', 'candidate sampling temperature (default 0.7)', numberFlag('--temperature', 0, 2))
    .option('--bench <name>', 'where the prompts and the judge come from: world (exact truth), objhal or amber (their scorers, with --data)', 'world')
    .option('--data <dir>', 'with --bench objhal|amber: the benchmark\'s files as `rlaifv bench` reads them, or a world export')
    .option('--limit <n>', 'prompts (test scenes or the first benchmark questions; default 100)', intFlag('--limit', 1))
    .option('--json', 'print {selectors: {reward: [{n, chairS, chairI, coverage}, ...], ...}}')
    .action(async (o: BonFlags) => {
      const { withRunLock } = await import('../run-lock.ts');
      await withRunLock(o.out, async () => (await import('../bon-run.ts')).runBonCommand(o));
    });
}
