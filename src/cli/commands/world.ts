/** `rlaifv world`: look at the world: images, reference captions, questions, as PNG files and a contact sheet. */
import type { Command } from 'commander';
import { intFlag, numberFlag } from '../options.ts';

export function register(program: Command): void {
  program.command('world')
    .description('write sample scenes of the world as PNG images with their captions and an index.html to look at')
    .requiredOption('--out <dir>', 'output folder')
    .option('--n <n>', 'scenes', intFlag('--n', 1), 12)
    .option('--split <split>', 'train | val | test', 'test')
    .option('--world-seed <s>', 'world seed', intFlag('--world-seed'), 0)
    .option('--noise <p>', 'caption-noise rate for the captions shown', numberFlag('--noise', 0, 1), 0)
    .action(async (o) => {
      const { writeWorldSamples } = await import('../../world/samples.ts');
      const index = writeWorldSamples(o.out, { n: o.n, split: o.split, worldSeed: o.worldSeed, noise: o.noise });
      process.stdout.write(`wrote ${o.n} scenes to ${o.out}; open ${index}\n`);
    });
}
